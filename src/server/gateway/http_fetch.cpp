#include "server/gateway/http_fetch.hpp"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include "core/thread_name.hpp"

namespace parley::gateway {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // path and query
};

[[nodiscard]] Result<Target> parse_target(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return fail(ErrorCode::invalid_payload, "not a URL: " + url);
  Target target;
  if (parsed->scheme() == "https") {
    target.tls = true;
  } else if (parsed->scheme() != "http") {
    return fail(ErrorCode::invalid_payload, "only http:// and https:// URLs can be fetched: " + url);
  }
  target.host = std::string(parsed->host());
  if (target.host.empty()) return fail(ErrorCode::invalid_payload, "the URL names no host: " + url);
  target.port = parsed->has_port() ? std::string(parsed->port()) : (target.tls ? "443" : "80");
  target.path = parsed->encoded_target().empty() ? "/" : std::string(parsed->encoded_target());
  if (!target.path.starts_with('/')) target.path.insert(0, "/");
  return target;
}

[[nodiscard]] Error failed(const std::string& url, std::string_view step, const boost::system::error_code& ec) {
  return Error{ErrorCode::unavailable, "fetching " + url + ": " + std::string(step) + ": " + ec.message()};
}

// The request and its answer on a connected (and, for https, handshaken) stream.
template <class Stream>
net::awaitable<Result<HttpFetcher::Answer>> exchange(Stream& stream, const Target& target,
                                                     const HttpFetcher::Request& spec, std::size_t max_body_bytes) {
  const std::string& url = spec.url;
  boost::system::error_code ec;
  http::request<http::string_body> request(spec.body ? http::verb::post : http::verb::get, target.path, 11);
  request.set(http::field::host, target.host);
  request.set(http::field::user_agent, "parleyd");
  request.set(http::field::accept, "application/json");
  for (const auto& [name, value] : spec.headers) request.set(name, value);
  if (spec.body) {
    request.body() = *spec.body;
    request.prepare_payload();
  }
  co_await http::async_write(stream, request, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return std::unexpected(failed(url, "sending the request", ec));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
  if (ec == http::error::body_limit)
    co_return fail(ErrorCode::unavailable, "fetching " + url + ": the answer is larger than " + std::to_string(max_body_bytes) + " bytes");
  if (ec) co_return std::unexpected(failed(url, "reading the answer", ec));
  auto response = parser.release();
  co_return HttpFetcher::Answer{static_cast<int>(response.result_int()), std::move(response.body())};
}

net::awaitable<Result<HttpFetcher::Answer>> fetch(HttpFetcher::Request spec, HttpFetcher::Limits limits) {
  const std::string& url = spec.url;
  auto target = parse_target(url);
  if (!target) co_return std::unexpected(target.error());
  auto executor = co_await net::this_coro::executor;
  // One deadline for the whole exchange: when it passes, whatever is waiting is cancelled.
  // The timer's handler may be queued already when the exchange ends: it looks at `over` first.
  struct Watch {
    bool over = false;
    bool expired = false;
    tcp::resolver* resolver = nullptr;
    beast::tcp_stream* stream = nullptr;
  };
  tcp::resolver resolver(executor);
  beast::tcp_stream tcp_stream(executor);
  auto watch = std::make_shared<Watch>(Watch{.resolver = &resolver, .stream = &tcp_stream});
  net::steady_timer deadline(executor, limits.total_timeout);
  deadline.async_wait([watch](boost::system::error_code ec) {
    if (ec || watch->over) return;
    watch->expired = true;
    watch->resolver->cancel();
    watch->stream->close();
  });
  struct EndWatch {
    Watch& watch;
    net::steady_timer& timer;
    ~EndWatch() {
      watch.over = true;
      timer.cancel();
    }
  } end_watch{*watch, deadline};
  const bool& expired = watch->expired;

  boost::system::error_code ec;
  auto endpoints = co_await resolver.async_resolve(target->host, target->port, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return std::unexpected(failed(url, expired ? "timed out" : "resolving the host", ec));
  tcp_stream.expires_after(limits.connect_timeout);
  co_await tcp_stream.async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return std::unexpected(failed(url, expired ? "timed out" : "connecting", ec));
  tcp_stream.expires_never();  // the deadline covers the rest
  if (!target->tls) {
    auto body = co_await exchange(tcp_stream, *target, spec, limits.max_body_bytes);
    if (!body && expired) co_return fail(ErrorCode::unavailable, "fetching " + url + ": timed out");
    co_return body;
  }
  ssl::context context(ssl::context::tls_client);
  context.set_default_verify_paths();
  context.set_verify_mode(ssl::verify_peer);
  context.set_verify_callback(ssl::host_name_verification(target->host));
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), context);
  watch->stream = &stream.next_layer();
  // The name the server picks its certificate by (SNI): a DNS name, never an address (RFC 6066).
  boost::system::error_code not_an_address;
  (void)net::ip::make_address(target->host, not_an_address);
  if (not_an_address) SSL_set_tlsext_host_name(stream.native_handle(), target->host.c_str());
  co_await stream.async_handshake(ssl::stream_base::client, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return std::unexpected(failed(url, expired ? "timed out" : "the TLS handshake", ec));
  auto body = co_await exchange(stream, *target, spec, limits.max_body_bytes);
  if (!body && expired) co_return fail(ErrorCode::unavailable, "fetching " + url + ": timed out");
  co_return body;
}

}  // namespace

HttpFetcher::HttpFetcher(Limits limits) : limits_(limits), work_(io_.get_executor()) {
  thread_ = std::thread([this] {
    core::name_this_thread("parley-fetch");
    io_.run();
  });
}

HttpFetcher::~HttpFetcher() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void HttpFetcher::get(std::string url, std::function<void(Result<std::string>)> done) {
  send(Request{.url = url}, [url, done = std::move(done)](Result<Answer> answer) {
    if (!answer) return done(std::unexpected(std::move(answer.error())));
    if (answer->status != 200)
      return done(fail(ErrorCode::unavailable, "fetching " + url + ": the answer is HTTP " + std::to_string(answer->status)));
    done(std::move(answer->body));
  });
}

void HttpFetcher::send(Request request, std::function<void(Result<Answer>)> done) {
  net::co_spawn(io_, fetch(std::move(request), limits_),
                [done = std::move(done)](std::exception_ptr error, Result<Answer> answer) {
                  if (error) return done(fail(ErrorCode::unavailable, "the fetch failed"));
                  done(std::move(answer));
                });
}

void HttpFetcher::run(std::function<void()> work) { net::post(io_, std::move(work)); }

}  // namespace parley::gateway
