#pragma once
// An HTTP connection's byte stream: plain TCP, or TLS over it. HTTP sessions, uploads and
// downloads read and write through it without knowing which, as Beast's algorithms take any
// AsyncReadStream / AsyncWriteStream.
//
// The choice is made once per connection, behind one function call per operation, so that Beast's HTTP templates are instantiated once, not once per
// kind of stream, and OpenSSL's stream templates only in http_stream.cpp.
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace boost::beast {
template <class NextLayer>
class ssl_stream;
}

namespace parley::gateway {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
// Owns a TLS stream where its type is incomplete: only http_stream.cpp includes OpenSSL's.
struct TlsStreamDeleter {
  void operator()(TlsStream* stream) const;
};
using TlsStreamPtr = std::unique_ptr<TlsStream, TlsStreamDeleter>;

class HttpStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  // What completes a read or a write. Asio's any_completion_handler would do, were it usable
  // with Beast's streams in Boost 1.81; every handler here runs on the connection's strand, the
  // stream's own executor, so a plain function object loses nothing.
  using IoHandler = std::move_only_function<void(boost::system::error_code, std::size_t)>;

  explicit HttpStream(boost::beast::tcp_stream plain);
  explicit HttpStream(TlsStreamPtr tls);
  ~HttpStream();
  HttpStream(HttpStream&&) noexcept;
  HttpStream& operator=(HttpStream&&) = delete;

  executor_type get_executor() { return tcp_.get_executor(); }
  // The TCP layer, under TLS too: its timeouts (expires_after) bound TLS's reads and writes.
  boost::beast::tcp_stream& tcp() { return tls_ ? tls_tcp() : tcp_; }
  [[nodiscard]] bool secure() const { return tls_ != nullptr; }

  // For a WebSocket upgrade: the stream leaves the HTTP session. Exactly one of them is
  // meaningful, as secure() says.
  boost::asio::ip::tcp::socket release_plain();
  TlsStreamPtr release_tls();

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, boost::asio::mutable_buffer buffer) { start_read(buffer, std::move(handler)); }, token,
        first_buffer(buffers));
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    // A write may take less than it is given: the first few buffers are enough.
    pending_write_.clear();
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && pending_write_.size() < kMaxWriteBuffers; ++it)
      if (boost::asio::const_buffer b(*it); b.size() > 0) pending_write_.push_back(b);
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        [this](auto handler) { start_write(std::move(handler)); }, token);
  }

 private:
  static constexpr std::size_t kMaxWriteBuffers = 16;

  template <class MutableBufferSequence>
  static boost::asio::mutable_buffer first_buffer(const MutableBufferSequence& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it)
      if (boost::asio::mutable_buffer b(*it); b.size() > 0) return b;
    return {};
  }

  boost::beast::tcp_stream& tls_tcp();
  void start_read(boost::asio::mutable_buffer buffer, IoHandler handler);
  void start_write(IoHandler handler);

  boost::beast::tcp_stream tcp_;     // the connection, or an empty placeholder under TLS
  TlsStreamPtr tls_;  // null for plain TCP
  std::vector<boost::asio::const_buffer> pending_write_;  // the write in flight: one at a time
};

// Runs the server's side of the TLS handshake on an accepted socket, bounded by `timeout`, and
// hands the secure stream to `ready`. A failed handshake (a client speaking plain HTTP to this
// port, a protocol version or cipher it does not share) just ends the connection.
// The stream keeps what it needs of `context` (OpenSSL counts its references), so a later
// certificate reload does not touch it.
void start_tls(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context, std::chrono::seconds timeout,
               std::function<void(HttpStream)> ready);

}  // namespace parley::gateway
