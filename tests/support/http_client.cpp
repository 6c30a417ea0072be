#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "support/run_step.hpp"

namespace parley::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}


}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

const boost::json::object& HttpResponse::object() const {
  if (!json.is_object())
    throw std::runtime_error("expected a JSON object body, got HTTP " + std::to_string(status) +
                             " with body: " + body);
  return json.get_object();
}

HttpResponse send_http(int port, const HttpRequest& request) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  const std::string what = request.method + " " + request.target;

  http::request<http::string_body> req;
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown)
    req.method_string(request.method);
  else
    req.method(verb);
  req.target(request.target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  req.keep_alive(false);
  if (!request.body.empty()) req.set(http::field::content_type, "application/json");
  if (request.bearer) req.set(http::field::authorization, "Bearer " + *request.bearer);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  req.prepare_payload();

  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  stream.expires_after(request.timeout);
  if (auto ec = run_step(ioc, [&](auto handler) { stream.async_connect(endpoint, handler); }))
    throw std::runtime_error(what + ": connect: " + ec.message());

  stream.expires_after(request.timeout);
  // A server may answer (413, say) and close before it has read the whole body; the answer is
  // what matters, so a failed write is only reported if no response can be read either.
  const beast::error_code write_ec =
      run_step(ioc, [&](auto handler) { http::async_write(stream, req, handler); });

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  stream.expires_after(request.timeout);
  if (auto ec = run_step(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, handler); })) {
    throw std::runtime_error(what + ": reading the response: " + ec.message() +
                             (write_ec ? " (writing the request: " + write_ec.message() + ")" : ""));
  }

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  const auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& field : res) out.headers[lower(field.name_string())] = std::string(field.value());
  boost::system::error_code parse_ec;
  boost::json::value parsed = boost::json::parse(out.body, parse_ec);
  if (!parse_ec) out.json = std::move(parsed);
  return out;
}

HttpResponse send_raw_http(int port, std::string_view raw, std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  stream.expires_after(timeout);
  if (auto ec = run_step(ioc, [&](auto handler) { stream.async_connect(endpoint, handler); }))
    throw std::runtime_error("raw request: connect: " + ec.message());
  stream.expires_after(timeout);
  if (auto ec = run_step(ioc, [&](auto handler) { asio::async_write(stream, asio::buffer(raw), handler); }))
    throw std::runtime_error("raw request: write: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  stream.expires_after(timeout);
  if (auto ec = run_step(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, handler); }))
    throw std::runtime_error("raw request: reading the response: " + ec.message());
  const auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& field : res) out.headers[lower(field.name_string())] = std::string(field.value());
  boost::system::error_code parse_ec;
  boost::json::value parsed = boost::json::parse(out.body, parse_ec);
  if (!parse_ec) out.json = std::move(parsed);
  return out;
}

HttpResponse http_request(int port, std::string_view method, std::string_view target,
                          std::string_view body, std::optional<std::string> bearer,
                          HttpHeaders extra_headers) {
  HttpRequest req;
  req.method = std::string(method);
  req.target = std::string(target);
  req.body = std::string(body);
  req.bearer = std::move(bearer);
  req.headers = std::move(extra_headers);
  return send_http(port, req);
}

HttpResponse http_json(int port, std::string_view method, std::string_view target,
                       const boost::json::object& body, std::optional<std::string> bearer) {
  return http_request(port, method, target, boost::json::serialize(body), std::move(bearer));
}

}  // namespace parley::test
