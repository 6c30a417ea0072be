// Beast's HTTP for the file routes. An upload's body goes out as one span the kernel takes as
// fast as the server reads; a download's body, once its header is parsed, is read straight from
// the socket into one receive buffer, bypassing the parser's own buffer (which Beast refills at
// most 64 KiB a read).
#include "transfer_client.hpp"

#include "loop.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

namespace parley::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// One read of a download's body: the receive buffer the bench holds, whatever the file's size.
constexpr std::size_t kReceiveBytes = std::size_t{1} << 20;
// An upload's answer is a short JSON object (the upload, or an error).
constexpr std::size_t kAnswerBytes = 64 * 1024;

double seconds_since(std::int64_t start_ns) { return static_cast<double>(now_ns() - start_ns) / 1e9; }

}  // namespace

struct TransferClient::Impl {
  std::string host;
  unsigned short port;
  net::io_context io{1};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  std::vector<char> received = std::vector<char>(kReceiveBytes);
  bool connected = false;

  // Runs the queued asynchronous operations to completion: they honour tcp_stream's deadline,
  // so a server that stops answering cannot hang the bench.
  void run() {
    io.restart();
    io.run();
  }

  bool connect(std::chrono::milliseconds timeout, TransferResult& result) {
    if (connected) return true;
    boost::system::error_code ignored;
    stream.socket().close(ignored);
    buffer.clear();
    stream.expires_after(timeout);
    boost::system::error_code ec;
    stream.async_connect(tcp::endpoint(net::ip::make_address(host), port), [&](boost::system::error_code e) { ec = e; });
    run();
    if (ec) {
      result.error = "connect: " + ec.message();
      return false;
    }
    stream.socket().set_option(tcp::no_delay(true));
    connected = true;
    return true;
  }

  template <class Request>
  void set_common(Request& req, const std::string& bearer) {
    req.set(http::field::host, host + ":" + std::to_string(port));
    req.set(http::field::authorization, "Bearer " + bearer);
    req.keep_alive(true);
  }

  void fail(TransferResult& result, const std::string& what, boost::system::error_code ec) {
    result.status = 0;
    result.error = what + ": " + ec.message();
    connected = false;
  }
};

TransferClient::TransferClient(std::string host, unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}

TransferClient::~TransferClient() = default;

TransferResult TransferClient::upload(const std::string& target, const std::string& content_type,
                                      std::span<const char> file, const std::string& bearer,
                                      std::chrono::milliseconds timeout) {
  TransferResult result;
  auto& s = *impl_;
  if (!s.connect(timeout, result)) return result;
  http::request<http::span_body<const char>> req{http::verb::post, target, 11};
  s.set_common(req, bearer);
  req.set(http::field::content_type, content_type);
  req.body() = beast::span<const char>(file.data(), file.size());
  req.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(kAnswerBytes);
  boost::system::error_code ec;
  const std::int64_t start = now_ns();
  s.stream.expires_after(timeout);
  http::async_write(s.stream, req, [&](boost::system::error_code e, std::size_t) {
    ec = e;
    result.body_seconds = seconds_since(start);
    if (!ec) http::async_read(s.stream, s.buffer, parser, [&](boost::system::error_code r, std::size_t) { ec = r; });
  });
  s.run();
  result.seconds = seconds_since(start);
  if (ec) {
    s.fail(result, "upload", ec);
    return result;
  }
  auto res = parser.release();
  if (!res.keep_alive()) s.connected = false;
  result.status = static_cast<int>(res.result_int());
  result.body = std::move(res.body());
  result.bytes = static_cast<std::int64_t>(file.size());
  return result;
}

TransferResult TransferClient::download(const std::string& target, std::span<const char> expected,
                                        const std::string& bearer, std::chrono::milliseconds timeout) {
  TransferResult result;
  auto& s = *impl_;
  if (!s.connect(timeout, result)) return result;
  http::request<http::empty_body> req{http::verb::get, target, 11};
  s.set_common(req, bearer);
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);  // the body bypasses the parser; `expected` says how much is right
  boost::system::error_code ec;
  const std::int64_t start = now_ns();
  s.stream.expires_after(timeout);
  http::async_write(s.stream, req, [&](boost::system::error_code e, std::size_t) {
    ec = e;
    if (!ec) http::async_read_header(s.stream, s.buffer, parser, [&](boost::system::error_code r, std::size_t) { ec = r; });
  });
  s.run();
  if (ec) {
    s.fail(result, "download header", ec);
    return result;
  }
  result.status = static_cast<int>(parser.get().result_int());
  const auto length = parser.content_length();
  if (result.status != 200 || !length) {
    // Not the file: the connection is not worth saving for the next transfer.
    result.error = "HTTP " + std::to_string(result.status) + (length ? "" : " without Content-Length");
    s.connected = false;
    return result;
  }
  std::uint64_t remaining = *length;
  // Compares what arrived with the file at the current offset, and counts it.
  auto take = [&](const char* data, std::size_t size) {
    const auto offset = static_cast<std::size_t>(result.bytes);
    if (offset + size > expected.size() || std::memcmp(expected.data() + offset, data, size) != 0)
      result.content_matches = false;
    result.bytes += static_cast<std::int64_t>(size);
    remaining -= size;
  };
  // Body bytes that came in with the header.
  const std::size_t buffered = std::min<std::size_t>(s.buffer.size(), remaining);
  take(static_cast<const char*>(s.buffer.data().data()), buffered);
  s.buffer.consume(buffered);
  std::function<void()> read_more = [&] {
    if (remaining == 0) return;
    const std::size_t want = std::min<std::uint64_t>(remaining, s.received.size());
    s.stream.async_read_some(net::buffer(s.received.data(), want), [&](boost::system::error_code e, std::size_t n) {
      if (e) {
        ec = e;
        return;
      }
      take(s.received.data(), n);
      read_more();
    });
  };
  read_more();
  s.run();
  result.seconds = seconds_since(start);
  if (ec) {
    s.fail(result, "download body", ec);
    return result;
  }
  if (!parser.get().keep_alive()) s.connected = false;
  return result;
}

}  // namespace parley::bench
