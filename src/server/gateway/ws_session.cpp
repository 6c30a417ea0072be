#include "server/gateway/ws_session.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "protocol/fields.hpp"
#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"

namespace parley::gateway {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;

namespace {

// Close codes of the private range (docs/protocol.md).
constexpr std::uint16_t kCloseUnauthenticated = 4001;
constexpr std::uint16_t kCloseSlowConsumer = 4008;

}  // namespace

WsSession::WsSession(net::ip::tcp::socket&& socket, std::shared_ptr<GatewayContext> context)
    : ws_(std::move(socket)),
      context_(std::move(context)),
      id_(context_->next_connection_id.fetch_add(1)),
      auth_timer_(ws_.get_executor()),
      budget_(context_->options.rate_per_second, context_->options.rate_burst) {}

void WsSession::run(beast::http::request<beast::http::string_body> request, std::optional<UserId> user) {
  const auto& options = context_->options;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  // Beast pings an idle peer halfway through this and drops it when the whole span passes in
  // silence: a half-open connection ends within the ping timeout.
  timeouts.idle_timeout = options.ping_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "parleyd"); }));
  ws_.read_message_max(options.max_frame_bytes * options.frame_hard_cap_factor);
  user_ = user;
  ws_.async_accept(request, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) return on_closed();
  counted_ = true;
  metrics::server().connections.add(1);
  if (user_) {
    UserId user = *user_;
    user_.reset();
    become_authenticated(user, [self = shared_from_this()] {
      self->context_->operations.call("me", {*self->user_, self->id_}, {}, [self](Result<json::value> me) {
        json::object ready;
        if (me) ready["user"] = *me;
        self->deliver(std::make_shared<const std::string>(protocol::encode_event("ready", std::move(ready))));
      });
    });
  } else {
    auth_timer_.expires_after(context_->options.auth_timeout);
    auth_timer_.async_wait([self = shared_from_this()](beast::error_code timer_ec) {
      if (timer_ec || self->user_) return;
      self->close(websocket::close_code(kCloseUnauthenticated), "not authenticated in time");
    });
  }
  do_read();
}

void WsSession::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

void WsSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) return on_closed();
  std::string bytes = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  handle_frame(bytes, ws_.got_binary());
  do_read();
}

void WsSession::handle_frame(std::string_view bytes, bool) {
  json::value id;
  if (bytes.size() > context_->options.max_frame_bytes)
    return reply(id, fail(ErrorCode::payload_too_large,
                          "the frame is over the limit of " + std::to_string(context_->options.max_frame_bytes) + " bytes"));
  auto request = protocol::parse_request(bytes, id);
  if (!request) return reply(id, std::unexpected(request.error()));
  std::int64_t retry_after_ms = 0;
  if (!budget_.try_take(retry_after_ms)) {
    Error limited{ErrorCode::rate_limited, "too many requests on this connection; slow down", retry_after_ms};
    return reply(id, std::unexpected(limited));
  }
  if (request->op == "auth") return handle_auth(id, request->params);
  if (!user_) return reply(id, fail(ErrorCode::unauthorized, "authenticate first: send {\"op\":\"auth\",\"token\":...}"));
  if (context_->stopping) return reply(id, fail(ErrorCode::unavailable, "the server is shutting down"));
  if (!context_->operations.has(request->op, Operations::Access::authenticated))
    return reply(id, fail(ErrorCode::unknown_op, "unknown op \"" + request->op + "\""));
  const bool is_send = request->op == "messages.send";
  const auto received = std::chrono::steady_clock::now();
  context_->operations.call(request->op, {*user_, id_}, request->params,
                            [self = shared_from_this(), id, is_send, received](Result<json::value> result) {
                              self->reply(id, std::move(result));
                              if (is_send) metrics::server().ack_seconds.observe(std::chrono::steady_clock::now() - received);
                            });
}

void WsSession::handle_auth(const json::value& id, const json::object& params) {
  if (user_) return reply(id, fail(ErrorCode::conflict, "this connection is already authenticated"));
  auto token = protocol::Fields(params).required_string("token");
  if (!token) return reply(id, std::unexpected(token.error()));
  auto user = context_->operations.services().accounts.authenticate(*token);
  if (!user) return reply(id, std::unexpected(user.error()));
  auth_timer_.cancel();
  become_authenticated(*user, [self = shared_from_this(), id] {
    self->context_->operations.call("me", {*self->user_, self->id_}, {}, [self, id](Result<json::value> me) {
      if (!me) return self->reply(id, std::unexpected(me.error()));
      self->reply(id, json::value(json::object{{"user", *me}}));
    });
  });
}

void WsSession::become_authenticated(UserId user, std::function<void()> confirmation) {
  user_ = user;
  auto self = shared_from_this();
  // After the confirmation, the presence snapshot this connection starts from.
  confirmation = [self, inner = std::move(confirmation)] {
    inner();
    self->context_->operations.services().presence.connected(
        {*self->user_, self->id_}, [self](Result<service::PresenceSnapshot> snapshot) {
          if (!snapshot) return;
          json::array users;
          for (const auto& p : snapshot->contacts) users.push_back(protocol::to_json(p));
          self->deliver(std::make_shared<const std::string>(protocol::encode_event(
              "presence.snapshot", {{"self", protocol::to_json(snapshot->self)}, {"users", std::move(users)}})));
        });
  };
  if (!context_->hub.begin_attach(self)) return confirmation();
  context_->operations.services().rooms.room_ids(
      {user, id_}, [self, user, confirmation = std::move(confirmation)](Result<std::vector<RoomId>> rooms) {
        // Without its rooms the connection still gets its own events; it catches up by history.
        self->context_->hub.finish_attach(user, rooms ? *rooms : std::vector<RoomId>{});
        if (!rooms) spdlog::warn("could not load the rooms of user {}: {}", user.value, rooms.error().message);
        net::post(self->ws_.get_executor(), confirmation);
      });
}

void WsSession::reply(const json::value& id, Result<json::value> result) {
  auto frame = result ? protocol::encode_reply(id, *result) : protocol::encode_error_reply(id, result.error());
  deliver(std::make_shared<const std::string>(std::move(frame)));
}

void WsSession::deliver(hub::Frame frame) {
  net::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
    self->enqueue(std::move(frame));
  });
}

void WsSession::go_away() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_when_drained_ = true;
    if (!self->writing_ && self->outbox_.empty()) self->close(websocket::close_code::going_away, "server shutting down");
  });
}

void WsSession::enqueue(hub::Frame frame) {
  if (closing_ || pending_close_) return;
  if (outbox_.size() >= context_->options.send_queue_frames) {
    spdlog::info("connection {} of user {} fell {} frames behind; closing it", id_, user_id().value, outbox_.size());
    metrics::server().slow_consumers_dropped.add();
    return close(websocket::close_code(kCloseSlowConsumer), "too far behind; reconnect and catch up");
  }
  outbox_.push_back(std::move(frame));
  metrics::server().send_queue_frames.add(1);
  if (!writing_) do_write();
}

void WsSession::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(*outbox_.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
}

void WsSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return on_closed();
  outbox_.pop_front();
  metrics::server().send_queue_frames.add(-1);
  metrics::server().frames_sent.add();
  if (pending_close_) return start_close();
  if (!outbox_.empty()) return do_write();
  if (close_when_drained_) close(websocket::close_code::going_away, "server shutting down");
}

void WsSession::close(websocket::close_code code, std::string_view reason) {
  if (pending_close_ || closing_) return;
  pending_close_ = websocket::close_reason(code, reason);
  auth_timer_.cancel();
  // One write at a time: the close follows the frame in flight; queued frames are dropped.
  if (writing_) {
    drop_queued(1);
    return;
  }
  start_close();
}

void WsSession::start_close() {
  closing_ = true;
  drop_queued(0);
  ws_.async_close(*pending_close_, [self = shared_from_this()](beast::error_code) { self->on_closed(); });
}

void WsSession::drop_queued(std::size_t keep) {
  if (outbox_.size() <= keep) return;
  metrics::server().send_queue_frames.add(-static_cast<std::int64_t>(outbox_.size() - keep));
  outbox_.truncate(keep);
}

WsSession::~WsSession() {
  drop_queued(0);
  if (counted_) metrics::server().connections.add(-1);
}

void WsSession::on_closed() {
  closing_ = true;
  auth_timer_.cancel();
  if (detached_) return;
  detached_ = true;
  if (!user_) return;
  context_->hub.detach(*this);
  auto& services = context_->operations.services();
  services.typing.connection_closed(id_);
  services.presence.disconnected({*user_, id_});
}

}  // namespace parley::gateway
