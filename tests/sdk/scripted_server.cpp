#include "scripted_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

namespace parley::sdk_test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

struct ScriptedServer::Impl {
  std::function<HttpAnswer(const std::string&, const std::string&, const std::string&)> http;
  std::function<WsAnswer(const json::object&)> ws;
  net::io_context io;
  tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;

  net::awaitable<void> serve_websocket(tcp::socket socket, http::request<http::string_body> upgrade) {
    websocket::stream<tcp::socket> stream(std::move(socket));
    co_await stream.async_accept(upgrade, net::use_awaitable);
    beast::flat_buffer buffer;
    for (;;) {
      co_await stream.async_read(buffer, net::use_awaitable);
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      boost::system::error_code ec;
      auto request = json::parse(text, ec);
      if (ec || !request.is_object()) continue;
      WsAnswer answer = ws(request.get_object());
      for (const auto& frame : answer.frames) {
        stream.text(true);
        co_await stream.async_write(net::buffer(frame), net::use_awaitable);
      }
      if (answer.close_bad_payload) {
        co_await stream.async_close(websocket::close_code::bad_payload, net::use_awaitable);
        co_return;
      }
    }
  }

  net::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(socket, buffer, request, net::use_awaitable);
    if (websocket::is_upgrade(request)) co_return co_await serve_websocket(std::move(socket), std::move(request));
    HttpAnswer answer = http(std::string(request.method_string()), std::string(request.target()), request.body());
    http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
    response.set(http::field::content_type, "application/json");
    response.body() = answer.body;
    response.keep_alive(false);
    response.prepare_payload();
    co_await http::async_write(socket, response, net::use_awaitable);
  }

  net::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(net::use_awaitable);
      // A connection's end (the client gone, a read refused) is that connection's alone.
      net::co_spawn(io, serve(std::move(socket)), net::detached);
    }
  }
};

ScriptedServer::ScriptedServer(
    std::function<HttpAnswer(const std::string&, const std::string&, const std::string&)> http,
    std::function<WsAnswer(const json::object&)> ws)
    : impl_(std::make_shared<Impl>()) {
  impl_->http = std::move(http);
  impl_->ws = std::move(ws);
  net::co_spawn(impl_->io, impl_->accept_loop(), net::detached);
  impl_->thread = std::thread([impl = impl_] { impl->io.run(); });
}

ScriptedServer::~ScriptedServer() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string ScriptedServer::url() const { return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()); }

std::string ScriptedServer::ok(const json::object& request, const json::value& data) {
  return json::serialize(json::object{{"id", request.at("id")}, {"ok", true}, {"data", data}});
}

std::string ScriptedServer::refused(const json::object& request, const std::string& code) {
  return json::serialize(json::object{
      {"id", request.at("id")}, {"ok", false}, {"error", json::object{{"code", code}, {"message", "refused by the script"}}}});
}

}  // namespace parley::sdk_test
