#pragma once
// The byte streams under the SDK's HTTP requests: plain TCP, or TLS over it, chosen by the
// server's URL. Private to the .cpp files of src/client (Beast is in it).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <exception>
#include <string>

#include <parley/error.hpp>

#include "client/tls.hpp"
#include "client/transport.hpp"

namespace parley::client {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <class Stream>
inline constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

// Resolves and connects `stream` to the server, and for TLS shakes hands, checking the
// server's certificate and name. Each step waits at most `idle`.
template <class Stream>
boost::asio::awaitable<Result<void>> open_stream(Stream& stream, const Endpoint& server, std::chrono::milliseconds idle) {
  namespace net = boost::asio;
  boost::beast::error_code ec;
  net::ip::tcp::resolver resolver(co_await net::this_coro::executor);
  auto results = co_await resolver.async_resolve(server.host, server.port, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return fail(ErrorCode::network, "cannot resolve the server: " + ec.message());
  auto& tcp = boost::beast::get_lowest_layer(stream);
  tcp.expires_after(idle);
  co_await tcp.async_connect(results, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return fail(ErrorCode::network, "cannot reach the server: " + ec.message());
  if constexpr (kIsTls<Stream>) {
    prepare_tls(stream, server.host);
    tcp.expires_after(idle);
    co_await stream.async_handshake(net::ssl::stream_base::client, net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return std::unexpected(tls_handshake_error(ec, SSL_get_verify_result(stream.native_handle())));
  }
  co_return Result<void>{};
}

// Runs `work(stream)`, an awaitable Result<T>, with a new stream of the server's kind.
template <class T, class Work>
boost::asio::awaitable<Result<T>> with_stream(const Endpoint& server, Work work) {
  auto executor = co_await boost::asio::this_coro::executor;
  if (server.tls) {
    TlsStream stream(executor, *server.tls);
    co_return co_await work(stream);
  }
  PlainStream stream(executor);
  co_return co_await work(stream);
}

// Runs a coroutine to its end on a private io_context: the calling thread blocks. What it
// throws becomes a network Error.
template <class T>
Result<T> run_blocking(boost::asio::awaitable<Result<T>> work) {
  boost::asio::io_context io;
  Result<T> outcome = fail(ErrorCode::internal, "the transfer did not finish");
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr failure, Result<T> result) {
    if (!failure) {
      outcome = std::move(result);
      return;
    }
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      outcome = fail(ErrorCode::network, std::string("the transfer failed: ") + e.what());
    } catch (...) {
      outcome = fail(ErrorCode::network, "the transfer failed");
    }
  });
  io.run();
  return outcome;
}

}  // namespace parley::client
