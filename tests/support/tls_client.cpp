#include "support/tls_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

#include <stdexcept>

#include "support/run_step.hpp"

namespace parley::test {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;


ssl::context client_context(const TlsClientOptions& options) {
  ssl::context context(ssl::context::tls_client);
  context.add_certificate_authority(asio::buffer(options.trusted_ca_pem));
  context.set_verify_mode(ssl::verify_peer);
  if (options.max_protocol_version != 0) {
    SSL_CTX_set_min_proto_version(context.native_handle(), 0);
    SSL_CTX_set_max_proto_version(context.native_handle(), options.max_protocol_version);
    // OpenSSL's default security level refuses TLS 1.1 even to try; the server must refuse it.
    SSL_CTX_set_security_level(context.native_handle(), 0);
  }
  return context;
}

// Connects and runs the client's handshake; "" on success, else why it failed.
std::string connect_tls(asio::io_context& io, TlsStream& stream, int port, const TlsClientOptions& options) {
  auto* native = stream.native_handle();
  SSL_set_tlsext_host_name(native, options.server_name.c_str());
  SSL_set1_host(native, options.server_name.c_str());
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  if (auto ec = run_step(io, [&](auto handler) { beast::get_lowest_layer(stream).async_connect(endpoint, handler); }))
    throw std::runtime_error("connect: " + ec.message());
  if (auto ec = run_step(io, [&](auto handler) { stream.async_handshake(ssl::stream_base::client, handler); }))
    return ec.message();
  return "";
}

}  // namespace

std::string tls_handshake_failure(int port, const TlsClientOptions& options) {
  asio::io_context io;
  auto context = client_context(options);
  TlsStream stream(io, context);
  return connect_tls(io, stream, port, options);
}

HttpResponse send_https(int port, const HttpRequest& request, const TlsClientOptions& options) {
  asio::io_context io;
  auto context = client_context(options);
  TlsStream stream(io, context);
  if (auto failure = connect_tls(io, stream, port, options); !failure.empty())
    throw std::runtime_error("TLS handshake: " + failure);

  http::request<http::string_body> message(http::string_to_verb(request.method), request.target, 11);
  message.set(http::field::host, options.server_name);
  if (request.bearer) message.set(http::field::authorization, "Bearer " + *request.bearer);
  if (!request.body.empty()) message.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(request.timeout);
  if (auto ec = run_step(io, [&](auto handler) { http::async_write(stream, message, handler); }))
    throw std::runtime_error("write " + request.target + ": " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::size_t{64} << 20);
  if (auto ec = run_step(io, [&](auto handler) { http::async_read(stream, buffer, parser, handler); }))
    throw std::runtime_error("read " + request.target + ": " + ec.message());
  HttpResponse response;
  const auto& answer = parser.get();
  response.status = static_cast<int>(answer.result_int());
  response.body = answer.body();
  for (const auto& field : answer) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response.headers[name] = std::string(field.value());
  }
  boost::system::error_code json_error;
  response.json = boost::json::parse(response.body, json_error);
  if (json_error) response.json = nullptr;
  return response;
}

struct WssClient::Impl {
  explicit Impl(const TlsClientOptions& options) : options(options), context(client_context(options)), ws(io, context) {}
  TlsClientOptions options;
  asio::io_context io;
  ssl::context context;
  beast::websocket::stream<TlsStream> ws;
  beast::flat_buffer buffer;
};

WssClient::WssClient(int port, std::string_view target, const TlsClientOptions& options)
    : impl_(std::make_unique<Impl>(options)) {
  if (auto failure = connect_tls(impl_->io, impl_->ws.next_layer(), port, options); !failure.empty())
    throw std::runtime_error("TLS handshake: " + failure);
  // Each step is bounded by the TCP stream's expiry, set before it. The WebSocket's own timers
  // stay off: one left pending would keep run_step's io_context busy until it fired.
  impl_->ws.set_option(beast::websocket::stream_base::timeout{
      beast::websocket::stream_base::none(), beast::websocket::stream_base::none(), false});
  beast::get_lowest_layer(impl_->ws).expires_after(options.timeout);
  const std::string path(target);
  if (auto ec = run_step(impl_->io, [&](auto handler) { impl_->ws.async_handshake(options.server_name, path, handler); }))
    throw std::runtime_error("WebSocket upgrade of " + path + ": " + ec.message());
}

WssClient::~WssClient() = default;

void WssClient::send_text(std::string_view text) {
  impl_->ws.text(true);
  beast::get_lowest_layer(impl_->ws).expires_after(impl_->options.timeout);
  if (auto ec = run_step(impl_->io, [&](auto handler) { impl_->ws.async_write(asio::buffer(text), handler); }))
    throw std::runtime_error("WebSocket write: " + ec.message());
}

boost::json::object WssClient::read_frame() {
  impl_->buffer.clear();
  beast::get_lowest_layer(impl_->ws).expires_after(impl_->options.timeout);
  if (auto ec = run_step(impl_->io, [&](auto handler) { impl_->ws.async_read(impl_->buffer, handler); }))
    throw std::runtime_error("WebSocket read: " + ec.message());
  return boost::json::parse(beast::buffers_to_string(impl_->buffer.data())).as_object();
}

boost::json::object WssClient::request(std::string_view op, boost::json::object params) {
  const std::int64_t id = next_id_++;
  params["id"] = id;
  params["op"] = op;
  send_text(boost::json::serialize(params));
  for (;;) {
    auto frame = read_frame();
    if (const auto* reply_id = frame.if_contains("id"); reply_id && *reply_id == id) return frame;
  }
}

boost::json::object WssClient::wait_event(std::string_view name) {
  for (;;) {
    auto frame = read_frame();
    if (const auto* event = frame.if_contains("event"); event && event->is_string() && event->get_string() == name)
      return frame.contains("data") && frame.at("data").is_object() ? frame.at("data").as_object() : boost::json::object{};
  }
}

}  // namespace parley::test
