#include "server/gateway/websocket/tls_wire.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace parley::gateway::websocket {

namespace net = boost::asio;

namespace {
// A burst's gathered write buffer is kept for the next one up to this size; past it, freed.
constexpr std::size_t kKeptWriteCapacity = 64 * 1024;
}  // namespace

TlsWire::TlsWire(TlsStreamPtr stream)
    : stream_(std::move(stream)), incoming_(new char[kReadBytes]) {}

TlsWire::~TlsWire() = default;

void TlsWire::read(ReadDone done) {
  stream_->async_read_some(net::buffer(incoming_.get(), kReadBytes),
                           [this, done = std::move(done)](boost::system::error_code ec, std::size_t size) {
                             done(ec, incoming_.get(), size);
                           });
}

void TlsWire::write(WriteDone done) {
  net::async_write(*stream_, net::buffer(outgoing_), [this, done = std::move(done)](boost::system::error_code ec, std::size_t) {
    if (outgoing_.capacity() > kKeptWriteCapacity)
      std::string().swap(outgoing_);
    else
      outgoing_.clear();
    done(ec);
  });
}

void TlsWire::shutdown_send() {
  boost::system::error_code ignored;
  stream_->next_layer().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

void TlsWire::close() {
  boost::system::error_code ignored;
  stream_->next_layer().socket().close(ignored);
}

}  // namespace parley::gateway::websocket
