// Beast's HTTP for setup requests and /metrics scrapes (the file routes have transfer_client.cpp).
#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace parley::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct HttpClient::Impl {
  std::string host;
  unsigned short port;
  net::io_context io{1};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool connected = false;
  std::string local_address;  // empty: the kernel's choice

  // Asynchronous operations run to completion on a private io_context: unlike blocking calls,
  // they honour tcp_stream's deadline, so a server that stops answering cannot hang setup.
  void run(boost::system::error_code& ec) {
    io.restart();
    io.run();
    if (ec) throw boost::system::system_error(ec);
  }

  void connect(std::chrono::milliseconds timeout) {
    boost::system::error_code ignored;
    stream.socket().close(ignored);
    buffer.clear();
    stream.expires_after(timeout);
    boost::system::error_code ec;
    if (!local_address.empty()) {
      stream.socket().open(tcp::v4());
      stream.socket().bind(tcp::endpoint(net::ip::make_address(local_address), 0));
    }
    stream.async_connect(tcp::endpoint(net::ip::make_address(host), port),
                         [&](const boost::system::error_code& e) { ec = e; });
    run(ec);
    stream.socket().set_option(tcp::no_delay(true));
    connected = true;
  }

  HttpResponse once(const http::request<http::string_body>& req, std::chrono::milliseconds timeout) {
    if (!connected) connect(timeout);
    stream.expires_after(timeout);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    http::async_write(stream, req, [&](const boost::system::error_code& e, std::size_t) {
      ec = e;
      if (!ec) http::async_read(stream, buffer, parser, [&](const boost::system::error_code& r, std::size_t) { ec = r; });
    });
    run(ec);
    auto res = parser.release();
    if (!res.keep_alive()) connected = false;
    return HttpResponse{static_cast<int>(res.result_int()), std::move(res.body()), {}};
  }
};

HttpClient::HttpClient(std::string host, unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() = default;

void HttpClient::bind_to(std::string local_address) { impl_->local_address = std::move(local_address); }

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const std::string& bearer, std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
  req.keep_alive(true);
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  // A kept-alive connection the server has meanwhile closed fails on first use: one retry on
  // a fresh connection tells that apart from a server that is really gone.
  std::string error;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      return impl_->once(req, timeout);
    } catch (const std::exception& e) {
      impl_->connected = false;
      error = e.what();
    }
  }
  return HttpResponse{0, {}, error};
}

void parallel_http(const std::string& host, unsigned short port, int count, int threads,
                   const std::function<void(HttpClient&, int)>& work) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  const int n = std::max(1, std::min(threads, count));
  for (int t = 0; t < n; ++t) {
    pool.emplace_back([&] {
      HttpClient client(host, port);
      for (int i = next++; i < count; i = next++) work(client, i);
    });
  }
  for (auto& t : pool) t.join();
}

}  // namespace parley::bench
