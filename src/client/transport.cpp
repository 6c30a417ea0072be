#include "client/transport.hpp"

#include "core/error.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "client/log.hpp"
#include "client/server_frame.hpp"
#include "client/streams.hpp"
#include "domain/validation.hpp"

namespace parley::client {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

ErrorCode error_code_from(std::string_view text) {
  // A code this SDK does not know yet (a newer server's) reads as internal: retried, not trusted.
  return error_code_named(text).value_or(ErrorCode::internal);
}

Error error_from_json(const json::value& v) {
  Error e{ErrorCode::internal, "the server answered with an error it did not describe"};
  if (const auto* o = v.if_object()) {
    if (const auto* c = o->if_contains("code"); c && c->is_string()) e.code = error_code_from(c->get_string());
    if (const auto* m = o->if_contains("message"); m && m->is_string()) e.message = std::string(m->get_string());
    if (const auto* r = o->if_contains("retry_after_ms"); r && r->is_int64()) e.retry_after_ms = r->get_int64();
  }
  return e;
}

namespace {

Error network_error(const std::string& what) { return Error{ErrorCode::network, what}; }

// How long the server may take to answer `auth` before the connection is dropped and tried again.
constexpr std::chrono::seconds kAuthAnswerTimeout{10};

}  // namespace

Result<Endpoint> parse_server_url(const std::string& url, const std::filesystem::path& ca_file) {
  auto parsed = boost::urls::parse_uri(url);
  const bool tls = parsed && parsed->scheme() == "https";
  if (!parsed || (parsed->scheme() != "http" && !tls) || parsed->host().empty())
    return fail(ErrorCode::invalid_payload,
                "the server must be given as http://host:port or https://host:port, not \"" + url + "\"");
  // An IPv6 address comes bracketed in a URL; resolving, SNI and the name check want it bare.
  std::string host(parsed->host());
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  Endpoint endpoint{host, parsed->has_port() ? std::string(parsed->port()) : tls ? "443" : "80", nullptr};
  if (tls) {
    PARLEY_TRY(context, make_tls_context(ca_file));
    endpoint.tls = std::move(context);
  }
  return endpoint;
}

namespace {

// An HTTP answer as the protocol's data or Error.
Result<json::value> answer_of(const http::response<http::string_body>& response) {
  boost::system::error_code ec;
  json::value answer = json::parse(response.body(), ec);
  if (response.result_int() >= 400) {
    if (!ec && answer.is_object())
      if (const auto* error = answer.get_object().if_contains("error")) return std::unexpected(error_from_json(*error));
    return fail(ErrorCode::internal, "the server answered HTTP " + std::to_string(response.result_int()));
  }
  if (ec) return fail(ErrorCode::malformed_json, "the server's answer is not JSON");
  return answer;
}

template <class Stream>
net::awaitable<Result<json::value>> exchange(Stream& stream, const Endpoint& server,
                                             const http::request<http::string_body>& request,
                                             std::chrono::milliseconds timeout) {
  if (auto opened = co_await open_stream(stream, server, timeout); !opened) co_return std::unexpected(opened.error());
  beast::error_code ec;
  auto token = net::redirect_error(net::use_awaitable, ec);
  beast::get_lowest_layer(stream).expires_after(timeout);
  co_await http::async_write(stream, request, token);
  if (ec) co_return std::unexpected(network_error("cannot reach the server: " + ec.message()));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  co_await http::async_read(stream, buffer, response, token);
  if (ec) co_return std::unexpected(network_error("cannot reach the server: " + ec.message()));
  co_return answer_of(response);
}

}  // namespace

Result<json::value> http_call(const Endpoint& server, const std::string& method, const std::string& target,
                              const json::object& body, const std::string& bearer, std::chrono::milliseconds timeout) {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, server.host);
  request.set(http::field::content_type, "application/json");
  if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
  request.body() = json::serialize(body);
  request.prepare_payload();
  return run_blocking(with_stream<json::value>(server, [&](auto& stream) { return exchange(stream, server, request, timeout); }));
}

// One connection to the server: a WebSocket over TCP, or over TLS. Each has its own read
// buffer: a read that completes after its connection was dropped (the completion already
// queued) must not leave its message in front of the next connection's first reply, where the
// two would no longer parse.
struct Link {
  using Plain = websocket::stream<PlainStream>;
  using Tls = websocket::stream<TlsStream>;
  Link(net::io_context& io, const Endpoint& server) {
    if (server.tls) tls.emplace(io, *server.tls);
    else plain.emplace(io);
  }
  // Runs `f` with the stream, whichever kind it is.
  template <class F>
  decltype(auto) visit(F&& f) {
    return tls ? f(*tls) : f(*plain);
  }
  std::optional<Plain> plain;
  std::optional<Tls> tls;
  beast::flat_buffer inbox;
};

// All state lives on the network thread's io_context; public methods post to it.
class Connection::Impl : public std::enable_shared_from_this<Connection::Impl> {
 public:
  Impl(Endpoint server, Callbacks callbacks, Backoff backoff)
      : server_(std::move(server)), callbacks_(std::move(callbacks)), backoff_(backoff), retry_timer_(io_),
        work_(net::make_work_guard(io_)), random_(std::random_device{}()) {}

  void run_thread() {
    thread_ = std::thread([this] { run_loop(); });
  }

  void start() {
    net::post(io_, [self = shared_from_this()] {
      self->wanted_ = true;
      if (self->state_ == ConnectionState::offline && !self->link_) self->do_connect();
    });
  }

  void stop() {
    std::promise<void> stopped;
    net::post(io_, [self = shared_from_this(), &stopped] {
      self->wanted_ = false;
      self->retry_timer_.cancel();
      if (self->link_) {
        self->link_->visit([](auto& ws) {
          beast::get_lowest_layer(ws).cancel();
          beast::error_code ignored;
          beast::get_lowest_layer(ws).socket().close(ignored);
        });
      }
      self->lost("disconnected");
      stopped.set_value();
    });
    stopped.get_future().wait_for(std::chrono::seconds(5));
  }

  void shutdown() {
    if (shut_down_.exchange(true)) return;
    stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  ConnectionState state() const { return state_.load(); }

  void post(std::function<void()> fn) { net::post(io_, std::move(fn)); }

  // Runs `step` (a callback into the SDK, a reply's handler) so that whatever it throws is
  // reported instead of unwinding the network thread, which would end the app.
  template <class F>
  void guarded(F&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      report(std::string("an internal step failed: ") + e.what());
    } catch (...) {
      report("an internal step failed");
    }
  }

  void run_after(std::chrono::milliseconds delay, std::function<void()> fn) {
    auto timer = std::make_shared<net::steady_timer>(io_, delay);
    timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
      if (!ec) fn();
    });
  }

  void request(const std::string& op, json::object params, ReplyHandler handler) {
    net::post(io_, [self = shared_from_this(), op, params = std::move(params), handler = std::move(handler)]() mutable {
      if (self->state_ != ConnectionState::online) return handler(std::unexpected(network_error("not connected to the server")));
      self->send_request(op, std::move(params), std::move(handler));
    });
  }

 private:
  // The last line of defence: a throw that escaped a handler the guards do not wrap (a timer's,
  // a posted step's) is reported, and the thread goes on with the next handler.
  void run_loop() {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        report(std::string("an internal step failed: ") + e.what());
      } catch (...) {
        report("an internal step failed");
      }
    }
  }

  void report(const std::string& what) {
    if (!callbacks_.failure) return;
    try {
      callbacks_.failure(Error{ErrorCode::internal, what});
    } catch (...) {
      // Reporting failed too: nothing is left to tell, and the thread must go on.
    }
  }

  void set_state(ConnectionState s) {
    if (state_.exchange(s) != s && callbacks_.state_changed) callbacks_.state_changed(s);
  }

  // Every attempt has its own generation: a completion from an earlier socket finds the
  // generation moved on and does nothing, so it cannot tear down the connection that followed.
  void do_connect() {
    set_state(ConnectionState::connecting);
    const auto gen = ++generation_;
    link_ = std::make_shared<Link>(io_, server_);
    auto resolver = std::make_shared<tcp::resolver>(io_);
    resolver->async_resolve(server_.host, server_.port, [self = shared_from_this(), resolver, gen](beast::error_code ec, tcp::resolver::results_type results) {
      if (gen != self->generation_) return;
      if (ec) return self->lost("cannot resolve the server: " + ec.message());
      self->link_->visit([&](auto& ws) { self->do_tcp_connect(ws, results, gen); });
    });
  }

  template <class WebSocket>
  void do_tcp_connect(WebSocket& ws, const tcp::resolver::results_type& results, std::uint64_t gen) {
    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws).async_connect(results, [self = shared_from_this(), link = link_, gen, &ws](beast::error_code ec, const tcp::endpoint&) {
      if (gen != self->generation_) return;
      if (ec) return self->lost("cannot reach the server: " + ec.message());
      if constexpr (kIsTls<typename WebSocket::next_layer_type>) self->do_tls_handshake(ws, gen);
      else self->do_upgrade(ws, gen);
    });
  }

  template <class WebSocket>
  void do_tls_handshake(WebSocket& ws, std::uint64_t gen) {
    auto& tls = ws.next_layer();
    prepare_tls(tls, server_.host);
    tls.async_handshake(net::ssl::stream_base::client, [self = shared_from_this(), link = link_, gen, &ws](beast::error_code ec) {
      if (gen != self->generation_) return;
      if (ec) {
        Error e = tls_handshake_error(ec, SSL_get_verify_result(ws.next_layer().native_handle()));
        // A certificate that is not trusted is worth telling the app: retrying will not help
        // until the server's certificate or the trusted CAs change.
        if (e.code == ErrorCode::tls_certificate && self->callbacks_.failure) self->guarded([&] { self->callbacks_.failure(e); });
        return self->lost(e.message);
      }
      self->do_upgrade(ws, gen);
    });
  }

  template <class WebSocket>
  void do_upgrade(WebSocket& ws, std::uint64_t gen) {
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws.async_handshake(server_.host, "/v1/ws", [self = shared_from_this(), link = link_, gen](beast::error_code ec) {
      if (gen != self->generation_) return;
      if (ec) return self->lost("the WebSocket handshake failed: " + ec.message());
      self->do_read(self->link_, gen);
      self->authenticate();
    });
  }

  void authenticate() {
    std::string token = callbacks_.access_token ? callbacks_.access_token() : std::string();
    json::object params{{"token", token}};
    send_request("auth", std::move(params), [self = shared_from_this(), token](Result<json::value> answer) {
      if (answer) {
        self->attempt_ = 0;
        self->set_state(ConnectionState::online);
        if (self->callbacks_.online) self->callbacks_.online();
        return;
      }
      if (answer.error().code == ErrorCode::unauthorized && self->callbacks_.refresh_token &&
          self->callbacks_.refresh_token(token))
        return self->authenticate();
      // Credentials the server refuses for good: stay offline until the app signs in again.
      if (answer.error().kind() == ErrorKind::unauthorized) self->wanted_ = false;
      self->close_socket();
    });
    // An answer that never comes must not leave the client connecting for good: start afresh.
    auto deadline = std::make_shared<net::steady_timer>(io_, kAuthAnswerTimeout);
    deadline->async_wait([self = shared_from_this(), deadline, gen = generation_](beast::error_code ec) {
      if (!ec && gen == self->generation_ && self->state_ == ConnectionState::connecting) self->close_socket();
    });
  }

  void send_request(const std::string& op, json::object params, ReplyHandler handler) {
    const std::int64_t id = ++next_id_;
    params["id"] = id;
    params["op"] = op;
    std::string frame = json::serialize(params);
    // The server closes the connection on a text frame that is not UTF-8: refused here, the
    // request fails alone and the connection stays.
    if (!domain::is_valid_utf8(frame))
      return guarded([&] { handler(fail(ErrorCode::invalid_utf8, "the request holds text that is not valid UTF-8")); });
    pending_.emplace(id, Waiting{std::move(handler), false});
    outbox_.push_back({id, std::move(frame)});
    if (!writing_) do_write();
  }

  void do_write() {
    if (!link_ || outbox_.empty()) return;
    writing_ = true;
    link_->visit([&](auto& ws) {
      ws.text(true);
      ws.async_write(net::buffer(outbox_.front().frame), [self = shared_from_this(), gen = generation_](beast::error_code ec, std::size_t) {
        self->on_write(ec, gen);
      });
    });
  }

  void on_write(beast::error_code ec, std::uint64_t gen) {
    if (gen != generation_) return;
    writing_ = false;
    if (ec) return lost("the connection broke: " + ec.message());
    if (auto it = pending_.find(outbox_.front().id); it != pending_.end()) it->second.written = true;
    outbox_.pop_front();
    do_write();
  }

  void do_read(std::shared_ptr<Link> link, std::uint64_t gen) {
    auto& inbox = link->inbox;
    link->visit([&](auto& ws) {
      ws.async_read(inbox, [self = shared_from_this(), link, gen](beast::error_code ec, std::size_t) mutable {
        self->on_read(ec, std::move(link), gen);
      });
    });
  }

  void on_read(beast::error_code ec, std::shared_ptr<Link> link, std::uint64_t gen) {
    if (gen != generation_) return;
    if (ec) {
      auto reason = link->visit([](auto& ws) { return ws.reason(); });
      return lost("the connection closed: " + ec.message(), refusal_of(ec, reason));
    }
    std::string text = beast::buffers_to_string(link->inbox.data());
    link->inbox.consume(link->inbox.size());
    guarded([&] { dispatch(text); });
    if (gen == generation_) do_read(std::move(link), gen);
  }

  void dispatch(const std::string& text) {
    ServerFrame frame = read_server_frame(text);
    if (auto* event = std::get_if<ServerEvent>(&frame)) {
      if (callbacks_.event) callbacks_.event(event->name, event->data);
      return;
    }
    auto* reply = std::get_if<ServerReply>(&frame);
    if (!reply) return;
    auto it = pending_.find(reply->id);
    if (it == pending_.end()) return;
    auto handler = std::move(it->second.handler);
    pending_.erase(it);
    handler(std::move(reply->answer));
  }

  void close_socket() {
    if (!link_) return;
    beast::error_code ignored;
    link_->visit([&](auto& ws) { beast::get_lowest_layer(ws).socket().close(ignored); });
  }

  // What a close from the server says of the requests it had read: a frame it refused for its
  // content (1007: not UTF-8; 1009: too large) fails for that reason, since sending it again
  // would only close the next connection too.
  static std::optional<Error> refusal_of(const beast::error_code& ec, const websocket::close_reason& reason) {
    if (ec != websocket::error::closed) return std::nullopt;
    if (reason.code == websocket::close_code::bad_payload)
      return Error{ErrorCode::invalid_utf8, "the server refused a request that is not valid UTF-8"};
    if (reason.code == websocket::close_code::too_big)
      return Error{ErrorCode::payload_too_large, "the server refused a request as too large"};
    return std::nullopt;
  }

  // The connection is gone: fail what waits for a reply, and try again later if still wanted.
  void lost(const std::string& why, std::optional<Error> refusal = std::nullopt) {
    ++generation_;
    if (link_) {
      close_socket();
      // Destroyed on the next turn: its own handlers may still be on the stack.
      net::post(io_, [doomed = std::move(link_)] {});
    }
    auto waiting = std::move(pending_);
    pending_.clear();
    outbox_.clear();
    writing_ = false;
    for (auto& [id, waiting_for] : waiting)
      guarded([&] {
        waiting_for.handler(std::unexpected(waiting_for.written && refusal ? *refusal : network_error(why)));
      });
    set_state(ConnectionState::offline);
    if (wanted_) log(LogLevel::warning, "connection lost (" + why + "); reconnecting");
    if (wanted_) schedule_reconnect();
  }

  void schedule_reconnect() {
    // Full jitter: a random wait up to min * 2^attempt, capped.
    const auto cap = std::min<long long>(backoff_.max.count(), backoff_.min.count() << std::min(attempt_, 16));
    ++attempt_;
    std::uniform_int_distribution<long long> pick(backoff_.min.count() / 2, std::max<long long>(cap, 1));
    retry_timer_.expires_after(std::chrono::milliseconds(pick(random_)));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      // A timer cancelled by stop() reports an error and reconnects nothing.
      if (!ec && self->wanted_ && !self->link_) self->do_connect();
    });
  }

  Endpoint server_;
  Callbacks callbacks_;
  Backoff backoff_;
  net::io_context io_;
  net::steady_timer retry_timer_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::thread thread_;
  std::shared_ptr<Link> link_;
  struct Outgoing {
    std::int64_t id;
    std::string frame;
  };
  struct Waiting {
    ReplyHandler handler;
    bool written;  // the server has the frame: a refusal by close may be about it
  };
  std::deque<Outgoing> outbox_;
  bool writing_ = false;
  bool wanted_ = false;
  int attempt_ = 0;
  std::int64_t next_id_ = 0;
  std::uint64_t generation_ = 0;
  std::atomic<bool> shut_down_{false};
  std::unordered_map<std::int64_t, Waiting> pending_;
  std::atomic<ConnectionState> state_{ConnectionState::offline};
  std::mt19937_64 random_;
};

Connection::Connection(Endpoint server, Callbacks callbacks, Backoff backoff)
    : impl_(std::make_shared<Impl>(std::move(server), std::move(callbacks), backoff)) {
  impl_->run_thread();
}

Connection::~Connection() { impl_->shutdown(); }

void Connection::start() { impl_->start(); }
void Connection::shutdown() { impl_->shutdown(); }
void Connection::stop() { impl_->stop(); }
ConnectionState Connection::state() const { return impl_->state(); }

void Connection::post(std::function<void()> fn) { impl_->post(std::move(fn)); }

void Connection::run_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  impl_->run_after(delay, std::move(fn));
}

void Connection::request(const std::string& op, json::object params, ReplyHandler handler) {
  impl_->request(op, std::move(params), std::move(handler));
}

Result<json::value> Connection::call(const std::string& op, json::object params, std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<Result<json::value>>>();
  auto future = promise->get_future();
  request(op, std::move(params), [promise](Result<json::value> answer) { promise->set_value(std::move(answer)); });
  if (future.wait_for(timeout) != std::future_status::ready)
    return std::unexpected(network_error("the server did not answer in time"));
  return future.get();
}

}  // namespace parley::client
