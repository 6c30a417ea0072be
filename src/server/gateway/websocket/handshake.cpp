#include "server/gateway/websocket/handshake.hpp"

#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>

namespace parley::gateway::websocket {

namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;

namespace {

// What the handshake needs to stay alive until Beast's answer is written.
struct Handshake {
  Handshake(tcp::socket socket, beast::http::request<beast::http::string_body> upgrade)
      : stream(std::move(socket)), request(std::move(upgrade)) {}
  beast::websocket::stream<tcp::socket> stream;
  beast::http::request<beast::http::string_body> request;
};

// Over TLS, Beast's stream borrows the TLS stream, which goes back to the session afterwards.
struct SecureHandshake {
  SecureHandshake(TlsStreamPtr tls_stream, beast::http::request<beast::http::string_body> upgrade)
      : tls(std::move(tls_stream)), stream(*tls), request(std::move(upgrade)) {}
  TlsStreamPtr tls;
  beast::websocket::stream<TlsStream&> stream;
  beast::http::request<beast::http::string_body> request;
};

// Beast answers the upgrade (or refuses a malformed one) under these settings: its own timers
// only for the handshake, since the session keeps the connection alive itself afterwards.
template <class Stream>
void configure(beast::websocket::stream<Stream>& stream) {
  beast::websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  timeouts.idle_timeout = beast::websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  stream.set_option(timeouts);
  stream.set_option(beast::websocket::stream_base::decorator(
      [](beast::websocket::response_type& response) { response.set(beast::http::field::server, "parleyd"); }));
}

}  // namespace

void accept(TlsStreamPtr stream, beast::http::request<beast::http::string_body> request,
            SecureHandshakeDone done) {
  auto handshake = std::make_shared<SecureHandshake>(std::move(stream), std::move(request));
  configure(handshake->stream);
  handshake->stream.async_accept(handshake->request, [handshake, done = std::move(done)](beast::error_code ec) {
    done(ec, std::move(handshake->tls));
  });
}

void accept(tcp::socket socket, beast::http::request<beast::http::string_body> request, HandshakeDone done) {
  auto handshake = std::make_shared<Handshake>(std::move(socket), std::move(request));
  configure(handshake->stream);
  handshake->stream.async_accept(handshake->request, [handshake, done = std::move(done)](beast::error_code ec) {
    done(ec, std::move(handshake->stream.next_layer()));
  });
}

}  // namespace parley::gateway::websocket
