#include "client/file_transfer.hpp"

#include "client/streams.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <cctype>
#include <fstream>
#include <limits>
#include <vector>

namespace parley::client {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

// Large enough that the syscalls do not dominate, small enough to report progress often.
constexpr std::size_t kChunkBytes = 64 * 1024;

Error network_error(const std::string& what, const beast::error_code& ec) {
  return Error{ErrorCode::network, what + ": " + ec.message()};
}

std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string upload_target(const UploadRequest& r) {
  std::string target = "/v1/uploads?name=" + percent_encoded(r.name);
  if (r.width) target += "&width=" + std::to_string(*r.width);
  if (r.height) target += "&height=" + std::to_string(*r.height);
  if (r.duration_ms) target += "&duration_ms=" + std::to_string(*r.duration_ms);
  return target;
}

// An HTTP error answer as a parley::Error: the body's {"error": ...} when there is one.
Error error_from_answer(unsigned status, const std::string& body) {
  boost::system::error_code ec;
  auto answer = json::parse(body, ec);
  if (!ec && answer.is_object() && answer.get_object().contains("error"))
    return error_from_json(answer.get_object().at("error"));
  return Error{status == 404 ? ErrorCode::not_found : ErrorCode::internal, "the server answered HTTP " + std::to_string(status)};
}

using Awaitable = net::awaitable<Result<void>>;

template <class Stream>
net::awaitable<Result<json::value>> upload(Stream& stream, const Endpoint& server, const std::string& bearer,
                                           const UploadRequest& r, const ByteProgress& progress,
                                           std::chrono::milliseconds idle) {
  std::error_code size_error;
  const auto total = static_cast<std::int64_t>(std::filesystem::file_size(r.file, size_error));
  std::ifstream in(r.file, std::ios::binary);
  if (size_error || !in) co_return fail(ErrorCode::not_found, "cannot read " + r.file.string());

  if (auto connected = co_await open_stream(stream, server, idle); !connected) co_return std::unexpected(connected.error());

  http::request<http::buffer_body> request{http::verb::post, upload_target(r), 11};
  request.set(http::field::host, server.host);
  request.set(http::field::authorization, "Bearer " + bearer);
  request.set(http::field::content_type, r.mime_type);
  request.content_length(static_cast<std::uint64_t>(total));
  request.body().data = nullptr;
  request.body().more = true;
  http::request_serializer<http::buffer_body> serializer{request};

  beast::error_code ec;
  auto token = net::redirect_error(net::use_awaitable, ec);
  beast::get_lowest_layer(stream).expires_after(idle);
  co_await http::async_write_header(stream, serializer, token);
  std::vector<char> chunk(kChunkBytes);
  std::int64_t sent = 0;
  // A write that fails is not the end: the server may have refused the upload (too large, a
  // bad token) and closed; its answer is still there to read.
  while (!ec && sent < total) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<std::int64_t>(in.gcount());
    if (n <= 0) co_return fail(ErrorCode::conflict, r.file.string() + " changed while it was being sent");
    request.body().data = chunk.data();
    request.body().size = static_cast<std::size_t>(n);
    request.body().more = sent + n < total;
    beast::get_lowest_layer(stream).expires_after(idle);
    co_await http::async_write(stream, serializer, token);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) break;
    sent += n;
    if (progress) progress(sent, total);
  }
  if (!ec && !serializer.is_done()) {
    request.body().data = nullptr;
    request.body().size = 0;
    request.body().more = false;
    co_await http::async_write(stream, serializer, token);
    if (progress) progress(sent, total);
  }
  const beast::error_code write_error = ec;

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  beast::get_lowest_layer(stream).expires_after(idle);
  ec = {};
  co_await http::async_read(stream, buffer, response, token);
  if (ec) co_return std::unexpected(network_error("the upload was cut off", write_error ? write_error : ec));
  if (response.result_int() >= 400) co_return std::unexpected(error_from_answer(response.result_int(), response.body()));
  boost::system::error_code parse_error;
  auto answer = json::parse(response.body(), parse_error);
  if (parse_error || !answer.is_object() || !answer.get_object().contains("upload"))
    co_return fail(ErrorCode::internal, "the server's answer to the upload is not an upload");
  co_return answer.get_object().at("upload");
}

// One GET; `restart` is set when the partial file does not fit the upload (416) and must go.
template <class Stream>
Awaitable download(Stream& stream, const Endpoint& server, const std::string& bearer, const std::string& upload_id,
                   const std::filesystem::path& partial, const ByteProgress& progress,
                   std::chrono::milliseconds idle, bool& restart) {
  std::error_code size_error;
  // No partial file yet reads as an error here: start from the beginning.
  std::int64_t have = static_cast<std::int64_t>(std::filesystem::file_size(partial, size_error));
  if (size_error) have = 0;

  if (auto connected = co_await open_stream(stream, server, idle); !connected) co_return std::unexpected(connected.error());

  http::request<http::empty_body> request{http::verb::get, "/v1/uploads/" + percent_encoded(upload_id), 11};
  request.set(http::field::host, server.host);
  request.set(http::field::authorization, "Bearer " + bearer);
  if (have > 0) request.set(http::field::range, "bytes=" + std::to_string(have) + "-");
  beast::error_code ec;
  auto token = net::redirect_error(net::use_awaitable, ec);
  beast::get_lowest_layer(stream).expires_after(idle);
  co_await http::async_write(stream, request, token);
  if (ec) co_return std::unexpected(network_error("the download request failed", ec));

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  beast::get_lowest_layer(stream).expires_after(idle);
  co_await http::async_read_header(stream, buffer, parser, token);
  if (ec) co_return std::unexpected(network_error("the download was cut off", ec));
  const unsigned status = parser.get().result_int();
  if (status == 416) {
    restart = true;
    co_return fail(ErrorCode::conflict, "the partial download does not fit the upload");
  }

  // Reads the body chunk by chunk into `sink`; false when the connection broke.
  std::vector<char> chunk(kChunkBytes);
  auto read_body = [&](auto sink) -> net::awaitable<bool> {
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      beast::get_lowest_layer(stream).expires_after(idle);
      co_await http::async_read(stream, buffer, parser, token);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) co_return false;
      sink(chunk.data(), chunk.size() - parser.get().body().size);
    }
    co_return true;
  };

  if (status >= 400) {
    std::string body;
    co_await read_body([&](const char* data, std::size_t n) { body.append(data, n); });
    co_return std::unexpected(error_from_answer(status, body));
  }
  if (status != 200 && status != 206) co_return fail(ErrorCode::internal, "the server answered HTTP " + std::to_string(status));
  if (status == 200) have = 0;  // the whole file, whatever was asked: start over
  std::ofstream out(partial, std::ios::binary | (status == 206 ? std::ios::app : std::ios::trunc));
  if (!out) co_return fail(ErrorCode::internal, "cannot write " + partial.string());
  const std::int64_t total = have + static_cast<std::int64_t>(parser.content_length().value_or(0));
  const bool complete = co_await read_body([&](const char* data, std::size_t n) {
    out.write(data, static_cast<std::streamsize>(n));
    have += static_cast<std::int64_t>(n);
    if (progress) progress(have, total);
  });
  out.close();
  if (!complete) co_return std::unexpected(network_error("the download was cut off", ec));
  if (!out) co_return fail(ErrorCode::internal, "cannot write " + partial.string());
  co_return Result<void>{};
}

}  // namespace

Result<json::value> upload_file(const Endpoint& server, const std::string& bearer, const UploadRequest& request,
                                const ByteProgress& progress, std::chrono::milliseconds idle_timeout) {
  return run_blocking(with_stream<json::value>(server, [&](auto& stream) {
    return upload(stream, server, bearer, request, progress, idle_timeout);
  }));
}

Result<void> download_file(const Endpoint& server, const std::string& bearer, const std::string& upload_id,
                           const std::filesystem::path& partial, const ByteProgress& progress,
                           std::chrono::milliseconds idle_timeout) {
  bool restart = false;
  auto attempt = [&] {
    return run_blocking(with_stream<void>(server, [&](auto& stream) {
      return download(stream, server, bearer, upload_id, partial, progress, idle_timeout, restart);
    }));
  };
  auto done = attempt();
  if (done || !restart) return done;
  std::error_code ignored;
  std::filesystem::remove(partial, ignored);
  return attempt();
}

}  // namespace parley::client
