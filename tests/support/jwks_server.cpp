#include "support/jwks_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>

namespace parley::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct JwksServer::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
};

JwksServer::JwksServer() : impl_(std::make_unique<Impl>()) {
  serve({});
  answer_next();
  thread_ = std::thread([this] { impl_->io.run(); });
}

JwksServer::~JwksServer() {
  impl_->io.stop();
  thread_.join();
}

void JwksServer::serve(const std::vector<boost::json::object>& keys) {
  boost::json::array list;
  for (const auto& key : keys) list.push_back(key);
  std::lock_guard lock(mutex_);
  document_ = boost::json::serialize(boost::json::object{{"keys", std::move(list)}});
}

std::string JwksServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) + "/.well-known/jwks.json";
}

// One request a connection, answered at once; the next connection is accepted meanwhile.
void JwksServer::answer_next() {
  impl_->acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    answer_next();
    struct Exchange {
      tcp::socket socket;
      beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::response<http::string_body> response;
    };
    auto exchange = std::make_shared<Exchange>(Exchange{std::move(socket), {}, {}, {}});
    http::async_read(exchange->socket, exchange->buffer, exchange->request,
                     [this, exchange](boost::system::error_code read_ec, std::size_t) {
                       if (read_ec) return;
                       ++requests_;
                       exchange->response.result(http::status::ok);
                       exchange->response.set(http::field::content_type, "application/json");
                       {
                         std::lock_guard lock(mutex_);
                         exchange->response.body() = document_;
                       }
                       exchange->response.keep_alive(false);
                       exchange->response.prepare_payload();
                       http::async_write(exchange->socket, exchange->response,
                                         [exchange](boost::system::error_code, std::size_t) {
                                           boost::system::error_code ignored;
                                           exchange->socket.shutdown(tcp::socket::shutdown_both, ignored);
                                         });
                     });
  });
}

}  // namespace parley::test
