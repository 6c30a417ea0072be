#include "server/gateway/media_transfer.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <array>
#include <optional>
#include <span>

#include "domain/media_type.hpp"
#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"
#include "server/gateway/media_headers.hpp"
#include "server/gateway/upload_declaration.hpp"

namespace parley::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kUploadsPath = "/v1/uploads";
// One read of a file's bytes for a download, and one write to the socket: large enough that a
// transfer costs few system calls, small enough that many transfers at once cost little memory
// (one chunk each). 256 KiB chunks sent no faster on loopback.
constexpr std::size_t kDownloadChunkBytes = 64 * 1024;
// An upload's body is gathered into chunks of this size, each one write to the blob store:
// few system calls and large writes to the disk, at 256 KiB of memory an upload. 1 MiB chunks
// were no faster.
constexpr std::size_t kUploadChunkBytes = 256 * 1024;
// While an upload's body is read, the connection's read buffer holds this much: Beast reads at
// most 64 KiB a call, and only as much as the buffer has room for (so 512 bytes a read in the
// buffer that read the header). Given back when the body has been read.
constexpr std::size_t kUploadReadBytes = 64 * 1024;
// Uploads never change (a new file is a new upload), so a client may keep them for good.
constexpr std::string_view kImmutableCache = "private, max-age=31536000, immutable";

json::value error_json(const Error& error) { return json::object{{"error", protocol::error_body(error)}}; }

void respond_error(MediaConnection& c, const Error& error, bool close) {
  c.respond(protocol::http_status(error.code), error_json(error), close);
}

// Receives one upload: the body in chunks into the service's IncomingUpload. Its memory,
// whatever the file's size: one chunk (kUploadChunkBytes) and the connection's read buffer at
// kUploadReadBytes, 320 KiB.
class UploadReceiver : public std::enable_shared_from_this<UploadReceiver> {
 public:
  UploadReceiver(MediaConnection connection, HeaderParser&& header, const service::Caller& caller)
      : c_(std::move(connection)), parser_(std::move(header)), caller_(caller) {}

  void start() {
    const auto& header = parser_.get();
    const std::size_t limit = c_.context.options.max_upload_bytes;
    // Refused before a byte of the body is read: the connection closes, since the rest of the
    // request is still on its way.
    if (auto length = parser_.content_length(); length && *length > limit) return refuse_too_large(limit);
    auto declared = read_upload_declaration(header.target(), header[http::field::content_type]);
    if (!declared) return respond_error(c_, declared.error(), !parser_.is_done());
    auto upload = c_.context.operations.services().uploads.begin(caller_, std::move(*declared));
    if (!upload) return respond_error(c_, upload.error(), !parser_.is_done());
    upload_ = std::move(*upload);
    // A chunked body has no length to check up front: the parser stops at the limit.
    parser_.body_limit(limit);
    c_.buffer.reserve(kUploadReadBytes);
    if (beast::iequals(header[http::field::expect], "100-continue")) return send_continue();
    do_read();
  }

 private:
  void send_continue() {
    auto response = std::make_shared<http::response<http::empty_body>>(http::status::continue_, parser_.get().version());
    http::async_write(c_.stream, *response, [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
      if (ec) return self->c_.resume(true);
      self->do_read();
    });
  }

  void do_read() {
    if (parser_.is_done()) return on_body_read();
    // The parser copies the body's bytes straight into the free end of the chunk.
    parser_.get().body().data = chunk_.get() + filled_;
    parser_.get().body().size = kUploadChunkBytes - filled_;
    c_.stream.tcp().expires_after(c_.context.options.http_read_timeout);
    http::async_read_some(c_.stream, c_.buffer, parser_,
                          beast::bind_front_handler(&UploadReceiver::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) return refuse_too_large(c_.context.options.max_upload_bytes);
    // The client went away or stalled: nobody is left to answer.
    if (ec) return c_.resume(true);
    filled_ = kUploadChunkBytes - parser_.get().body().size;
    if (filled_ == kUploadChunkBytes || parser_.is_done()) {
      auto appended = upload_->append(std::as_bytes(std::span(chunk_.get(), filled_)));
      if (!appended) return respond_error(c_, appended.error(), true);
      filled_ = 0;
    }
    do_read();
  }

  void on_body_read() {
    c_.stream.tcp().expires_never();
    // An idle kept-alive connection goes back to a small read buffer.
    c_.buffer.shrink_to_fit();
    auto& uploads = c_.context.operations.services().uploads;
    uploads.finish(std::move(upload_), [self = shared_from_this()](Result<domain::Upload> stored) {
      net::post(self->c_.stream.get_executor(), [self, stored = std::move(stored)] {
        if (!stored) return respond_error(self->c_, stored.error(), false);
        self->c_.respond(201, json::object{{"upload", protocol::to_json(*stored)}}, false);
      });
    });
  }

  void refuse_too_large(std::size_t limit) {
    upload_.reset();
    respond_error(c_, Error{ErrorCode::payload_too_large, "the upload is over the limit of " + std::to_string(limit) + " bytes"},
                  true);
  }

  MediaConnection c_;
  http::request_parser<http::buffer_body> parser_;
  service::Caller caller_;
  std::unique_ptr<service::IncomingUpload> upload_;
  // Not zeroed: only the bytes received are ever read from it.
  std::unique_ptr<char[]> chunk_ = std::make_unique_for_overwrite<char[]>(kUploadChunkBytes);
  std::size_t filled_ = 0;  // bytes of the body in the chunk, not yet appended
};

// Sends one download: the whole file or one range of it, chunk by chunk from the blob store.
class DownloadSender : public std::enable_shared_from_this<DownloadSender> {
 public:
  DownloadSender(MediaConnection connection, HeaderParser&& header, const service::Caller& caller)
      : c_(std::move(connection)),
        version_(header.get().version()),
        range_header_(header.get()[http::field::range]),
        if_none_match_(header.get()[http::field::if_none_match]),
        // A GET with a body is odd; its body is not read, so the connection cannot go on.
        close_after_(!header.is_done() || !header.get().keep_alive() || c_.context.stopping),
        caller_(caller) {
    auto url = boost::urls::parse_origin_form(header.get().target());
    if (url) upload_id_ = std::string(url->segments().back());
  }

  void start() {
    c_.context.operations.services().uploads.find_readable(
        caller_, upload_id_, [self = shared_from_this()](Result<domain::Upload> upload) {
          net::post(self->c_.stream.get_executor(), [self, upload = std::move(upload)] { self->on_found(upload); });
        });
  }

 private:
  void on_found(const Result<domain::Upload>& upload) {
    if (!upload) return respond_error(c_, upload.error(), close_after_);
    const std::string etag = "\"" + upload->sha256 + "\"";
    if (!if_none_match_.empty() && etag_matches(if_none_match_, etag)) {
      auto response = std::make_shared<http::response<http::empty_body>>(http::status::not_modified, version_);
      set_cache_headers(*response, etag);
      return write_whole(response);
    }
    const std::int64_t size = upload->size_bytes;
    const ByteRange range = parse_byte_range(range_header_, size);
    if (range.kind == ByteRange::Kind::unsatisfiable) {
      auto response = std::make_shared<http::response<http::string_body>>(http::status::range_not_satisfiable, version_);
      response->set(http::field::content_range, "bytes */" + std::to_string(size));
      response->set(http::field::content_type, "application/json");
      response->body() = json::serialize(error_json(Error{
          ErrorCode::invalid_payload, "the range is outside the file of " + std::to_string(size) + " bytes"}));
      response->prepare_payload();
      return write_whole(response);
    }
    const bool partial = range.kind == ByteRange::Kind::partial;
    const std::int64_t offset = partial ? range.first : 0, length = partial ? range.length() : size;
    auto reader = c_.context.operations.services().uploads.open_content(*upload, offset, length);
    if (!reader) return respond_error(c_, reader.error(), close_after_);
    reader_ = std::move(*reader);
    remaining_ = length;

    response_.result(partial ? http::status::partial_content : http::status::ok);
    response_.version(version_);
    set_cache_headers(response_, etag);
    response_.set(http::field::content_type, upload->mime_type);
    response_.set(http::field::content_disposition,
                  content_disposition(domain::is_inline_media(upload->mime_type), upload->name));
    // The stored type is what the bytes were checked against: browsers must not guess another,
    // and a document served from here runs nothing.
    response_.set("X-Content-Type-Options", "nosniff");
    response_.set("Content-Security-Policy", "default-src 'none'; sandbox");
    if (partial)
      response_.set(http::field::content_range, "bytes " + std::to_string(range.first) + "-" +
                                                    std::to_string(range.last) + "/" + std::to_string(size));
    response_.content_length(static_cast<std::uint64_t>(length));
    response_.keep_alive(!close_after_);
    response_.body().data = nullptr;
    response_.body().more = true;
    serializer_.emplace(response_);
    c_.stream.tcp().expires_after(c_.context.options.http_read_timeout);
    http::async_write_header(c_.stream, *serializer_,
                             beast::bind_front_handler(&DownloadSender::on_written, shared_from_this()));
  }

  template <class Response>
  void set_cache_headers(Response& response, const std::string& etag) {
    response.set(http::field::server, "parleyd");
    response.set(http::field::etag, etag);
    response.set(http::field::cache_control, kImmutableCache);
    response.set(http::field::accept_ranges, "bytes");
  }

  template <class Response>
  void write_whole(std::shared_ptr<Response> response) {
    response->set(http::field::server, "parleyd");
    response->keep_alive(!close_after_);
    http::async_write(c_.stream, *response, [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
      self->c_.resume(ec || self->close_after_);
    });
  }

  void on_written(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return c_.resume(true);
    if (serializer_->is_done()) {
      c_.stream.tcp().expires_never();
      return c_.resume(close_after_);
    }
    if (remaining_ == 0) {
      response_.body().data = nullptr;
      response_.body().size = 0;
      response_.body().more = false;
    } else {
      auto read = reader_->read(std::as_writable_bytes(std::span(chunk_)));
      // Headers are out already: the only honest signal left is to cut the connection, so the
      // client sees fewer bytes than Content-Length and knows the body is incomplete.
      if (!read || *read == 0) return c_.resume(true);
      remaining_ -= static_cast<std::int64_t>(*read);
      response_.body().data = chunk_.data();
      response_.body().size = *read;
      response_.body().more = true;
    }
    // A client that stops reading for this long is dropped: it holds a file open meanwhile.
    c_.stream.tcp().expires_after(c_.context.options.http_read_timeout);
    http::async_write(c_.stream, *serializer_,
                      beast::bind_front_handler(&DownloadSender::on_written, shared_from_this()));
  }

  MediaConnection c_;
  unsigned version_;
  std::string range_header_;
  std::string if_none_match_;
  bool close_after_;
  service::Caller caller_;
  std::string upload_id_;
  std::unique_ptr<blob::BlobReader> reader_;
  std::int64_t remaining_ = 0;
  http::response<http::buffer_body> response_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  std::array<char, kDownloadChunkBytes> chunk_{};
};

}  // namespace

MediaRoute match_media_route(std::string_view method, std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return MediaRoute::none;
  const std::string_view path = url->encoded_path();
  if (path == kUploadsPath) return method == "POST" ? MediaRoute::upload : MediaRoute::wrong_method;
  if (!path.starts_with(kUploadsPath) || path.size() <= kUploadsPath.size() + 1 || path[kUploadsPath.size()] != '/')
    return MediaRoute::none;
  const std::string_view id = path.substr(kUploadsPath.size() + 1);
  if (id.find('/') != std::string_view::npos) return MediaRoute::none;
  return method == "GET" ? MediaRoute::download : MediaRoute::wrong_method;
}

void receive_upload(MediaConnection connection, HeaderParser&& header, const service::Caller& caller) {
  std::make_shared<UploadReceiver>(std::move(connection), std::move(header), caller)->start();
}

void send_download(MediaConnection connection, HeaderParser&& header, const service::Caller& caller) {
  std::make_shared<DownloadSender>(std::move(connection), std::move(header), caller)->start();
}

}  // namespace parley::gateway
