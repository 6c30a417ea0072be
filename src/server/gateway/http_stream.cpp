#include "server/gateway/http_stream.hpp"

#include <boost/beast/ssl/ssl_stream.hpp>

namespace parley::gateway {

namespace beast = boost::beast;
namespace net = boost::asio;

void TlsStreamDeleter::operator()(TlsStream* stream) const { delete stream; }

HttpStream::HttpStream(beast::tcp_stream plain) : tcp_(std::move(plain)) {}

HttpStream::HttpStream(TlsStreamPtr tls) : tcp_(tls->get_executor()), tls_(std::move(tls)) {}

HttpStream::~HttpStream() = default;
HttpStream::HttpStream(HttpStream&&) noexcept = default;

beast::tcp_stream& HttpStream::tls_tcp() { return tls_->next_layer(); }

net::ip::tcp::socket HttpStream::release_plain() { return tcp_.release_socket(); }

TlsStreamPtr HttpStream::release_tls() { return std::move(tls_); }

namespace {
// Asio wants a handler it can call; the erased one is wrapped back into a lambda.
auto call(HttpStream::IoHandler handler) {
  return [handler = std::move(handler)](beast::error_code ec, std::size_t size) mutable { handler(ec, size); };
}
}  // namespace

void HttpStream::start_read(net::mutable_buffer buffer, IoHandler handler) {
  if (tls_) return tls_->async_read_some(buffer, call(std::move(handler)));
  tcp_.async_read_some(buffer, call(std::move(handler)));
}

void HttpStream::start_write(IoHandler handler) {
  if (tls_) return tls_->async_write_some(pending_write_, call(std::move(handler)));
  tcp_.async_write_some(pending_write_, call(std::move(handler)));
}

void start_tls(net::ip::tcp::socket socket, net::ssl::context& context, std::chrono::seconds timeout,
               std::function<void(HttpStream)> ready) {
  TlsStreamPtr tls(new TlsStream(beast::tcp_stream(std::move(socket)), context));
  tls->next_layer().expires_after(timeout);
  auto& stream = *tls;
  stream.async_handshake(net::ssl::stream_base::server,
                         [tls = std::move(tls), ready = std::move(ready)](beast::error_code ec) mutable {
                           if (ec) return;  // the socket closes with `tls`
                           tls->next_layer().expires_never();
                           ready(HttpStream(std::move(tls)));
                         });
}

}  // namespace parley::gateway
