#include "support/jwks_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/serialize.hpp>

namespace parley::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct JwksServer::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  std::unique_ptr<ssl::context> tls;
};

namespace {

// One request on `stream`, answered with `body`; the connection then ends.
template <class Stream>
struct Exchange : std::enable_shared_from_this<Exchange<Stream>> {
  explicit Exchange(Stream s) : stream(std::move(s)) {}
  Stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response<http::string_body> response;

  template <class Answer>
  void run(Answer answer) {
    http::async_read(stream, buffer, request,
                     [self = this->shared_from_this(), answer](boost::system::error_code ec, std::size_t) {
                       if (ec) return;
                       self->response.result(http::status::ok);
                       self->response.set(http::field::content_type, "application/json");
                       self->response.body() = answer();
                       self->response.keep_alive(false);
                       self->response.prepare_payload();
                       http::async_write(self->stream, self->response, [self](boost::system::error_code, std::size_t) {
                         boost::system::error_code ignored;
                         beast::get_lowest_layer(self->stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
                       });
                     });
  }
};

}  // namespace

JwksServer::JwksServer(std::optional<ServerCertificateFiles> tls) : impl_(std::make_unique<Impl>()) {
  if (tls) {
    impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls->certificate_chain.string());
    impl_->tls->use_private_key_file(tls->private_key.string(), ssl::context::pem);
  }
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

std::string JwksServer::document() const {
  std::lock_guard lock(mutex_);
  return document_;
}

std::string JwksServer::url() const {
  return std::string(impl_->tls ? "https://localhost:" : "http://127.0.0.1:") +
         std::to_string(impl_->acceptor.local_endpoint().port()) + "/.well-known/jwks.json";
}

// One request a connection, answered at once; the next connection is accepted meanwhile.
void JwksServer::answer_next() {
  impl_->acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    answer_next();
    auto answer = [this] {
      ++requests_;
      return document();
    };
    if (!impl_->tls) return std::make_shared<Exchange<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)))->run(answer);
    auto exchange = std::make_shared<Exchange<beast::ssl_stream<beast::tcp_stream>>>(
        beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *impl_->tls));
    exchange->stream.async_handshake(ssl::stream_base::server, [exchange, answer](boost::system::error_code handshake_ec) {
      if (!handshake_ec) exchange->run(answer);
    });
  });
}

}  // namespace parley::test
