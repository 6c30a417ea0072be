#pragma once
// The routes whose bodies are files: POST /v1/uploads and GET /v1/uploads/{upload_id}
// (docs/protocol.md, "Uploads"). Their bodies stream between the socket and the blob store in
// chunks, so that a file never sits whole in memory. The HTTP session reads the request
// header, authenticates the caller, then hands its stream over until the response is written.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string_view>

#include "server/gateway/gateway_context.hpp"
#include "server/gateway/http_stream.hpp"
#include "server/service/caller.hpp"

namespace parley::gateway {

enum class MediaRoute { none, upload, download, wrong_method };

// Which media route `method` and `target` name, if any.
[[nodiscard]] MediaRoute match_media_route(std::string_view method, std::string_view target);

// What a transfer needs of the session it runs on. The session stays alive through `owner`.
struct MediaConnection {
  std::shared_ptr<void> owner;
  HttpStream& stream;
  boost::beast::flat_buffer& buffer;
  GatewayContext& context;
  // Writes a JSON answer with that status, then reads the next request, or closes when `close`.
  // Called on the stream's executor.
  std::function<void(unsigned status, boost::json::value body, bool close)> respond;
  // The transfer wrote its own response: read the next request, or close when `close`.
  std::function<void(bool close)> resume;
};

using HeaderParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;

// POST /v1/uploads: reads the body from `header`'s stream into an upload and answers 201 with it.
void receive_upload(MediaConnection connection, HeaderParser&& header, const service::Caller& caller);

// GET /v1/uploads/{upload_id}: the file, whole or a range, to the owner or a member of a room
// whose messages carry it.
void send_download(MediaConnection connection, HeaderParser&& header, const service::Caller& caller);

}  // namespace parley::gateway
