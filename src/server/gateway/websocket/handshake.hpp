#pragma once
// The WebSocket opening handshake, done by Beast, which then hands back the bare TCP socket:
// after the 101 response the gateway speaks the frames itself (websocket/frame_reader.hpp),
// so that a connection holds no Beast stream and no buffer while it is idle.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>

#include "server/gateway/http_stream.hpp"

namespace parley::gateway::websocket {

using HandshakeDone = std::function<void(boost::system::error_code, boost::asio::ip::tcp::socket)>;

// Answers the upgrade `request` on `socket`; `done` gets the socket back, ready for frames.
void accept(boost::asio::ip::tcp::socket socket, boost::beast::http::request<boost::beast::http::string_body> request,
            HandshakeDone done);

// The same over TLS: `done` gets the TLS stream back.
using SecureHandshakeDone = std::function<void(boost::system::error_code, TlsStreamPtr)>;
void accept(TlsStreamPtr stream, boost::beast::http::request<boost::beast::http::string_body> request,
            SecureHandshakeDone done);

}  // namespace parley::gateway::websocket
