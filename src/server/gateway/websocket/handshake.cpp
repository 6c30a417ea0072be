#include "server/gateway/websocket/handshake.hpp"

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

}  // namespace

void accept(tcp::socket socket, beast::http::request<beast::http::string_body> request, HandshakeDone done) {
  auto handshake = std::make_shared<Handshake>(std::move(socket), std::move(request));
  beast::websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  timeouts.idle_timeout = beast::websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  handshake->stream.set_option(timeouts);
  handshake->stream.set_option(beast::websocket::stream_base::decorator(
      [](beast::websocket::response_type& response) { response.set(beast::http::field::server, "parleyd"); }));
  handshake->stream.async_accept(handshake->request, [handshake, done = std::move(done)](beast::error_code ec) {
    done(ec, std::move(handshake->stream.next_layer()));
  });
}

}  // namespace parley::gateway::websocket
