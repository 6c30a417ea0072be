#include "server/gateway/ws_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <mutex>
#include <utility>

#include "core/metrics.hpp"
#include "protocol/fields.hpp"
#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"
#include "server/gateway/realtime/realtime_connection.hpp"
#include "server/gateway/websocket/handshake.hpp"

namespace parley::gateway {

namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;
using websocket::Opcode;

namespace {

// Close codes of the private range (docs/protocol.md).
constexpr std::uint16_t kCloseUnauthenticated = 4001;
constexpr std::uint16_t kCloseSlowConsumer = 4008;
// The login this connection authenticated with has ended: logout, a refresh token presented
// twice, or a password change elsewhere. The client signs in again.
constexpr std::uint16_t kCloseLoginEnded = 4003;
// RFC 6455's "Try Again Later": the server cannot serve the connection now (its store is out
// of reach); the client reconnects after a pause.
constexpr std::uint16_t kCloseTryAgainLater = 1013;

// One write gathers queued frames up to about this many bytes: enough to empty a burst in a
// system call or two, small enough that one connection does not hold the thread for long.
constexpr std::size_t kGatherBytes = 64 << 10;
// Reads per wake-up before other connections on the thread get their turn.
constexpr int kReadsPerWakeup = 4;
// Pongs owed to a client that sends pings and never reads its answers are not kept past this.
constexpr std::size_t kMaxControlBytes = 4096;

// Every frame is text but Phoenix's binary broadcast (kind 4), whose first byte is 4: no JSON
// text begins with a control character.
Opcode opcode_of(const std::string& payload) {
  return !payload.empty() && payload.front() == '\x04' ? Opcode::binary : Opcode::text;
}

// Where every connection of a thread reads into. The bytes are handled before the read handler
// returns, so one buffer per thread serves all of its connections.
char* read_chunk(std::size_t& size) {
  static thread_local std::unique_ptr<char[]> chunk(new char[kGatherBytes]);
  size = kGatherBytes;
  return chunk.get();
}

}  // namespace

WsSession::WsSession(const Executor& executor, std::shared_ptr<GatewayContext> context)
    : socket_(executor),
      context_(std::move(context)),
      id_(context_->next_connection_id.fetch_add(1)),
      budget_(context_->options.rate_per_second, context_->options.rate_burst),
      reader_(context_->options.max_frame_bytes * context_->options.frame_hard_cap_factor) {}

void WsSession::speak_realtime(realtime::RealtimeStart start, const service::Identity& user) {
  std::weak_ptr<WsSession> weak = weak_from_this();
  realtime::SessionLink link{
      .send = [this](hub::Frame frame) { send_realtime(std::move(frame)); },
      .on_strand =
          [weak](std::function<void()> work) {
            auto self = weak.lock();
            if (!self) return;
            net::post(self->socket_.get_executor(), [self, work = std::move(work)] {
              if (!self->torn_down_) work();
            });
          },
      .queued_bytes = [this] { return outbox_.bytes(); },
      .sink = weak,
      .attach = [this] { become_authenticated(realtime_->user(), [](const Confirm&) {}); },
  };
  realtime_ = std::make_unique<realtime::Connection>(*context_, std::move(link), service::Caller{user.user, id_, login_tag(user.login)}, std::move(start));
}

void WsSession::send_realtime(hub::Frame frame) {
  enqueue(std::move(frame));
  // One write for everything the Realtime connection sends in this visit (a page of rows, a
  // reply and its system message), after it returns: a write that finds the socket broken
  // tears the session down, which must not happen in the middle of the connection's work.
  if (flush_due_ || writing_) return;
  flush_due_ = true;
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_due_ = false;
    if (!self->writing_ && !self->outbox_.empty() && !self->torn_down_) self->do_write();
  });
}

void WsSession::run(tcp::socket socket, boost::beast::http::request<boost::beast::http::string_body> request,
                    std::optional<service::Identity> user) {
  user_ = user ? user->user : UserId{};
  login_ = user ? login_tag(user->login) : 0;
  websocket::accept(std::move(socket), std::move(request),
                    [self = shared_from_this()](boost::system::error_code ec, tcp::socket upgraded) {
                      self->on_accept(ec, std::move(upgraded));
                    });
}

void WsSession::run(TlsStreamPtr stream, boost::beast::http::request<boost::beast::http::string_body> request,
                    std::optional<service::Identity> user) {
  user_ = user ? user->user : UserId{};
  login_ = user ? login_tag(user->login) : 0;
  websocket::accept(std::move(stream), std::move(request),
                    [self = shared_from_this()](boost::system::error_code ec, TlsStreamPtr upgraded) {
                      if (ec) return;
                      self->tls_ = std::make_unique<websocket::TlsWire>(std::move(upgraded));
                      self->start();
                    });
}

void WsSession::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec) return;
  // The handshake's socket has a type-erased executor; the descriptor moves to ours.
  const auto protocol = socket.local_endpoint(ec).protocol();
  if (ec) return;
  const auto descriptor = socket.release(ec);
  if (ec) return;
  socket_.assign(protocol, descriptor, ec);
  if (ec) {
    ::close(descriptor);
    return;
  }
  socket_.non_blocking(true, ec);
  if (ec) return teardown();
  start();
}

void WsSession::start() {
  counted_ = true;
  metrics::server().connections.add(1);
  context_->keepalive.add(*this);
  if (realtime_) {
    // A Realtime client hears of nothing until it joins a channel: no greeting. One whose key
    // has expired becomes the user's connection at its first live token (SessionLink::attach).
    const UserId user = std::exchange(user_, UserId{});
    if (realtime_->attached()) become_authenticated(user, [](const Confirm&) {});
  } else if (user_.valid()) {
    const UserId user = std::exchange(user_, UserId{});
    become_authenticated(user, [self = shared_from_this()](Confirm confirm) {
      self->context_->operations.call("me", {self->user_, self->id_, self->login_}, {}, [self, confirm](Result<json::value> me) {
        if (!me) return self->close_for_store_outage();
        confirm(std::make_shared<const std::string>(protocol::encode_event("ready", {{"user", *me}})));
      });
    });
  } else {
    auth_timer_ = std::make_unique<net::steady_timer>(socket_.get_executor());
    auth_timer_->expires_after(context_->options.auth_timeout);
    auth_timer_->async_wait([self = shared_from_this()](boost::system::error_code timer_ec) {
      if (timer_ec || self->user_.valid()) return;
      self->close(kCloseUnauthenticated, "not authenticated in time");
    });
  }
  do_read();
}

void WsSession::do_read() {
  if (tls_) {
    return tls_->read([self = shared_from_this()](boost::system::error_code ec, char* bytes, std::size_t size) {
      self->on_tls_read(ec, bytes, size);
    });
  }
  socket_.async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](boost::system::error_code ec) { self->on_readable(ec); });
}

void WsSession::on_readable(boost::system::error_code ec) {
  if (ec || torn_down_) return teardown();
  for (int round = 0; round < kReadsPerWakeup; ++round) {
    std::size_t capacity = 0;
    char* chunk = read_chunk(capacity);
    const std::size_t bytes = socket_.read_some(net::buffer(chunk, capacity), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) break;
    // The peer's end of the stream, after a close or without one: either way it is over.
    if (ec) return teardown();
    if (!take_bytes(chunk, bytes)) return;
    if (bytes < capacity) break;
  }
  read_unless_behind();
}

void WsSession::on_tls_read(boost::system::error_code ec, char* bytes, std::size_t size) {
  if (ec || torn_down_) return teardown();
  if (!take_bytes(bytes, size)) return;
  read_unless_behind();
}

bool WsSession::take_bytes(char* bytes, std::size_t size) {
  heard_since_tick_ = true;
  if (!reading_stopped_) {
    auto failure = reader_.feed(bytes, size, [this](const websocket::Message& m) { return on_message(m); });
    if (failure) {
      reading_stopped_ = true;
      close(failure->close_code, failure->reason);
    }
  }
  return !torn_down_;
}

void WsSession::read_unless_behind() {
  if (outbox_.bytes() > context_->options.send_queue_bytes / 2) {
    // A client that does not read its replies gets no more requests read: its queue stops
    // growing here, and TCP tells it to slow down. wrote() starts reading again.
    read_paused_ = true;
    return;
  }
  do_read();
}

bool WsSession::on_message(const websocket::Message& message) {
  switch (message.opcode) {
    case Opcode::text:
    case Opcode::binary:
      if (closing_ != Closing::no) return true;
      if (realtime_) {
        realtime_->on_message(message.payload, message.opcode == Opcode::binary);
      } else {
        handle_frame(message.payload);
      }
      return true;
    case Opcode::ping:
      send_control(Opcode::pong, message.payload);
      return true;
    case Opcode::pong:
      ping_outstanding_ = false;
      return true;
    case Opcode::close:
      // The peer is closing: answer with its code, after which nothing more is read.
      reading_stopped_ = true;
      close(message.close_code == websocket::kCloseNoStatus ? websocket::kCloseNormal : message.close_code, "");
      return false;
    case Opcode::continuation:
      break;
  }
  return true;
}

void WsSession::handle_frame(std::string_view bytes) {
  json::value id;
  // Every frame costs from the budget, a malformed or oversized one too: answering garbage is
  // work, and a flood of it must slow down like a flood of requests.
  std::int64_t retry_after_ms = 0;
  const bool within_budget = budget_.try_take(retry_after_ms);
  const auto limited = [&] {
    return std::unexpected(Error{ErrorCode::rate_limited, "too many requests on this connection; slow down", retry_after_ms});
  };
  if (bytes.size() > context_->options.max_frame_bytes) {
    if (!within_budget) return reply(id, limited());
    return reply(id, fail(ErrorCode::payload_too_large,
                          "the frame is over the limit of " + std::to_string(context_->options.max_frame_bytes) + " bytes"));
  }
  auto request = protocol::parse_request(bytes, id);
  if (!within_budget) return reply(id, limited());
  if (!request) return reply(id, std::unexpected(request.error()));
  if (request->op == "auth") return handle_auth(id, request->params);
  if (!user_.valid()) return reply(id, fail(ErrorCode::unauthorized, "authenticate first: send {\"op\":\"auth\",\"token\":...}"));
  if (context_->stopping) return reply(id, fail(ErrorCode::unavailable, "the server is shutting down"));
  if (!context_->operations.has(request->op, Operations::Access::authenticated))
    return reply(id, fail(ErrorCode::unknown_op, "unknown op \"" + request->op + "\""));
  const bool is_send = request->op == "messages.send";
  const auto received = std::chrono::steady_clock::now();
  context_->operations.call(request->op, {user_, id_, login_}, request->params,
                            [self = shared_from_this(), id, is_send, received](Result<json::value> result) {
                              self->reply(id, std::move(result));
                              if (is_send) metrics::server().ack_seconds.observe(std::chrono::steady_clock::now() - received);
                            });
}

void WsSession::handle_auth(const json::value& id, const json::object& params) {
  if (user_.valid()) return reply(id, fail(ErrorCode::conflict, "this connection is already authenticated"));
  if (authenticating_) return reply(id, fail(ErrorCode::conflict, "this connection is already authenticating"));
  auto token = protocol::Fields(params).required_string("token");
  if (!token) return reply(id, std::unexpected(token.error()));
  authenticating_ = true;
  context_->operations.services().authenticator.authenticate(
      *token, [self = shared_from_this(), id](Result<service::Identity> identity) mutable {
        net::dispatch(self->socket_.get_executor(), [self, id = std::move(id), identity = std::move(identity)]() mutable {
          self->authenticating_ = false;
          if (self->torn_down_) return;
          self->authenticated(id, std::move(identity));
        });
      });
}

void WsSession::authenticated(const json::value& id, Result<service::Identity> identity) {
  if (!identity) return reply(id, std::unexpected(identity.error()));
  auth_timer_.reset();
  login_ = login_tag(identity->login);
  become_authenticated(identity->user, [self = shared_from_this(), id](Confirm confirm) {
    self->context_->operations.call("me", {self->user_, self->id_, self->login_}, {}, [self, id, confirm](Result<json::value> me) {
      if (!me) {
        self->reply(id, std::unexpected(me.error()));
        return self->close_for_store_outage();
      }
      confirm(std::make_shared<const std::string>(protocol::encode_reply(id, json::object{{"user", *me}})));
    });
  });
}

namespace {

// The confirmation of authentication (`ready`, or the `auth` reply) and the presence snapshot
// are read at the same time, and either may be ready first; the confirmation always goes first.
// Shared by the two completions for as long as the greeting lasts, not kept per connection.
struct Greeting {
  std::mutex mutex;
  bool confirmed = false;
  hub::Frame held_snapshot;
};

}  // namespace

void WsSession::become_authenticated(UserId user, std::function<void(Confirm)> confirmation_step) {
  user_ = user;
  auto self = shared_from_this();
  auto greeting = std::make_shared<Greeting>();
  Confirm confirm = [self, greeting](hub::Frame confirmation) {
    std::lock_guard lock(greeting->mutex);
    greeting->confirmed = true;
    self->deliver(std::move(confirmation));
    if (greeting->held_snapshot) self->deliver(std::move(greeting->held_snapshot));
  };
  // The confirmation, and beside it the presence snapshot this connection starts from.
  std::function<void()> confirmation = [self, greeting, confirm, step = std::move(confirmation_step)] {
    // Gone while its rooms loaded: its disconnect is already counted, and a connect now would
    // leave the user online with no connection to ever take them offline.
    if (self->detached_) return;
    step(confirm);
    self->context_->operations.services().presence.connected(
        {self->user_, self->id_, self->login_}, [self, greeting](Result<service::PresenceSnapshot> snapshot) {
          if (!snapshot) return self->close_for_store_outage();
          json::array users;
          for (const auto& p : snapshot->contacts) users.push_back(protocol::to_json(p));
          auto frame = std::make_shared<const std::string>(protocol::encode_event(
              "presence.snapshot", {{"self", protocol::to_json(snapshot->self)}, {"users", std::move(users)}}));
          std::lock_guard lock(greeting->mutex);
          if (greeting->confirmed)
            self->deliver(std::move(frame));
          else
            greeting->held_snapshot = std::move(frame);
        });
  };
  if (!context_->hub.begin_attach(self)) return confirmation();
  context_->operations.services().rooms.room_heads(
      {user, id_, login_}, [self, user, confirmation = std::move(confirmation)](Result<std::vector<domain::RoomHead>> rooms) {
        if (!rooms) {
          spdlog::warn("could not load the rooms of user {}: {}", user.value, rooms.error().message);
          return self->close_for_store_outage();
        }
        self->context_->hub.finish_attach(user, *rooms);
        net::post(self->socket_.get_executor(), confirmation);
      });
}

void WsSession::end_login(std::uint32_t login_tag) {
  net::dispatch(socket_.get_executor(), [self = shared_from_this(), login_tag] {
    if (self->user_.valid() && self->login_ == login_tag) self->close(kCloseLoginEnded, "this login has ended; sign in again");
  });
}

void WsSession::close_for_store_outage() {
  // Without its rooms, its presence or its own account the connection would hear nothing and
  // have no reason to reconnect: it is closed instead, with a code that says "try again shortly".
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    self->close(kCloseTryAgainLater, "the server cannot reach its database; reconnect shortly");
  });
}

void WsSession::reply(const json::value& id, Result<json::value> result) {
  auto frame = result ? protocol::encode_reply(id, *result) : protocol::encode_error_reply(id, result.error());
  deliver(std::make_shared<const std::string>(std::move(frame)));
}

void WsSession::deliver(hub::Frame frame) {
  if (!mailbox_.put(std::move(frame))) return;  // a visit is due already
  if (socket_.get_executor().running_in_this_thread()) {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->take_mail(); });
    return;
  }
  // From another thread, the visit goes with the others handed over meanwhile: one wake-up for
  // the lot.
  context_->handoff.post([self = shared_from_this()] {
    net::dispatch(self->socket_.get_executor(), [self] { self->take_mail(); });
  });
}

void WsSession::take_mail() {
  mailbox_.take([this](hub::Frame frame) {
    // A Realtime connection turns Parley's events into its channels' rows; the frames of its
    // own channels (broadcasts, presence) go as they are.
    if (realtime_ && frame && frame->starts_with(R"({"event":)")) return realtime_->on_event(frame);
    enqueue(std::move(frame));
  });
  // Everything that arrived since the last visit leaves in one write.
  if (!writing_ && !outbox_.empty()) do_write();
}

void WsSession::go_away() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    self->close_when_drained_ = true;
    if (!self->writing_ && self->outbox_.empty()) self->close(websocket::kCloseGoingAway, "server shutting down");
  });
}

void WsSession::keepalive_tick() {
  // Only a weak reference here: this runs under the keepalive's lock, and a strong one could be
  // the last, whose release would run the destructor, which takes that same lock. The session
  // cannot be freed meanwhile: its destructor waits for the lock before anything else.
  net::post(socket_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->on_tick();
  });
}

void WsSession::on_tick() {
  if (torn_down_) return;
  // A peer that never answers the close handshake is not waited for beyond a period or two.
  if (closing_ != Closing::no) {
    if (++ticks_while_closing_ >= 2) teardown();
    return;
  }
  if (heard_since_tick_) {
    heard_since_tick_ = false;
    ping_outstanding_ = false;
    return;
  }
  if (ping_outstanding_) {
    spdlog::debug("connection {} of user {} stopped answering pings; dropping it", id_, user_id().value);
    return teardown();
  }
  ping_outstanding_ = true;
  send_control(Opcode::ping, {});
}

WsSession::WriteBuffers& WsSession::buffers() {
  if (!buffers_) buffers_ = std::make_unique<WriteBuffers>();
  return *buffers_;
}

void WsSession::enqueue(hub::Frame frame) {
  // After go_away the queue only drains: a busy room must not keep the 1001 from being sent.
  if (closing_ != Closing::no || torn_down_ || close_when_drained_) return;
  const std::size_t frame_bytes = frame ? frame->size() : 0;
  const bool over_bytes = !outbox_.empty() && outbox_.bytes() + frame_bytes > context_->options.send_queue_bytes;
  if (outbox_.size() >= context_->options.send_queue_frames || over_bytes) {
    spdlog::info("connection {} of user {} fell {} frames ({} bytes) behind; closing it", id_, user_id().value,
                 outbox_.size(), outbox_.bytes());
    metrics::server().slow_consumers_dropped.add();
    return close(kCloseSlowConsumer, "too far behind; reconnect and catch up");
  }
  outbox_.push_back(std::move(frame));
  metrics::server().send_queue_frames.add(1);
}

void WsSession::send_control(Opcode opcode, std::string_view payload) {
  if (closing_ != Closing::no || torn_down_ || (buffers_ && buffers_->control.size() >= kMaxControlBytes)) return;
  websocket::append_frame(buffers().control, opcode, payload);
  if (!writing_) do_write();
}

void WsSession::do_write() {
  // Written whole at once, the next write starts here too, in this loop rather than by
  // recursion: a long queue does not deepen the stack.
  do {
    writing_ = true;
    if (closing_ == Closing::queued) {
      // The control frames, the close frame last; nothing else is sent after it.
      auto& b = buffers();
      b.gathered.swap(b.control);
      std::string().swap(b.control);
      closing_ = Closing::sent;
      if (!send_now(net::buffer(b.gathered))) return;
    } else if (!has_control() && outbox_.size() == 1) {
      // The common case of a quiet connection: the header and the shared payload, no copy.
      const std::string& payload = *outbox_.front();
      const std::size_t header_size = websocket::frame_header(single_header_, opcode_of(payload), payload.size());
      frames_in_flight_ = 1;
      if (!send_now(std::array<net::const_buffer, 2>{net::buffer(single_header_, header_size), net::buffer(payload)}))
        return;
    } else {
      // `gathered` is empty here. Appending rather than swapping keeps its capacity where it
      // is reused, and leaves none behind in `control`.
      auto& b = buffers();
      b.gathered.append(b.control);
      std::string().swap(b.control);
      frames_in_flight_ = 0;
      while (frames_in_flight_ < outbox_.size() && (frames_in_flight_ == 0 || b.gathered.size() < kGatherBytes)) {
        const std::string& payload = *outbox_.at(frames_in_flight_++);
        websocket::append_frame(b.gathered, opcode_of(payload), payload);
      }
      if (!send_now(net::buffer(b.gathered))) return;
    }
  } while (wrote({}));
}

template <class Buffers>
bool WsSession::send_now(const Buffers& buffers) {
  // Most writes fit in the socket's send buffer whole, and go out here: no operation to
  // allocate, no completion to schedule, no other thread to wake. Only what the socket does not
  // take at once is left to async_write, from where this attempt stopped.
  if (tls_) {
    // Gathered into one buffer: TLS seals what it is given at once into a record.
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers); ++it)
      tls_->outgoing().append(static_cast<const char*>(net::const_buffer(*it).data()), net::const_buffer(*it).size());
    tls_->write([self = shared_from_this()](boost::system::error_code write_ec) {
      if (self->wrote(write_ec)) self->do_write();
    });
    return false;
  }
  boost::system::error_code ec;
  const std::size_t sent = socket_.write_some(buffers, ec);  // the socket is non-blocking
  if (ec && ec != net::error::would_block) {
    wrote(ec);
    return false;
  }
  if (!ec && sent == net::buffer_size(buffers)) return true;
  boost::beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(ec ? 0 : sent);
  net::async_write(socket_, rest, [self = shared_from_this()](boost::system::error_code write_ec, std::size_t) {
    if (self->wrote(write_ec)) self->do_write();
  });
  return false;
}

bool WsSession::wrote(boost::system::error_code ec) {
  writing_ = false;
  if (ec) {
    teardown();
    return false;
  }
  const auto written = static_cast<std::int64_t>(frames_in_flight_);
  for (std::size_t i = 0; i < frames_in_flight_; ++i) outbox_.pop_front();
  frames_in_flight_ = 0;
  metrics::server().send_queue_frames.add(-written);
  if (read_paused_ && outbox_.bytes() <= context_->options.send_queue_bytes / 4 && !torn_down_) {
    read_paused_ = false;
    do_read();
  }
  if (realtime_ && outbox_.bytes() <= context_->options.send_queue_bytes / 4 && !torn_down_) realtime_->on_drained();
  metrics::server().frames_sent.add(static_cast<std::uint64_t>(written));
  // An idle connection keeps no write buffers; a busy one reuses them.
  if (outbox_.empty() && !has_control()) {
    buffers_.reset();
  } else if (buffers_) {
    buffers_->gathered.clear();
  }
  if (closing_ == Closing::sent) {
    finish_closing();
    return false;
  }
  if (closing_ == Closing::queued || has_control() || !outbox_.empty()) return true;
  if (close_when_drained_) close(websocket::kCloseGoingAway, "server shutting down");
  return false;
}

void WsSession::close(std::uint16_t code, std::string_view reason) {
  if (closing_ != Closing::no || torn_down_) return;
  closing_ = Closing::queued;
  websocket::append_frame(buffers().control, Opcode::close, websocket::close_payload(code, reason));
  auth_timer_.reset();
  // One write at a time: the close follows the frames in flight; queued ones are dropped.
  drop_queued(writing_ ? frames_in_flight_ : 0);
  if (!writing_) do_write();
}

void WsSession::finish_closing() {
  // As a WebSocket server does: half-close, then read (and discard) until the peer closes, so
  // that no unread byte turns the close into a reset that could lose the close frame.
  reading_stopped_ = true;
  if (tls_) return tls_->shutdown_send();
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
}

void WsSession::drop_queued(std::size_t keep) {
  if (outbox_.size() <= keep) return;
  metrics::server().send_queue_frames.add(-static_cast<std::int64_t>(outbox_.size() - keep));
  outbox_.truncate(keep);
}

void WsSession::teardown() {
  if (torn_down_) return;
  torn_down_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  if (tls_) tls_->close();
  auth_timer_.reset();
  on_closed();
}

WsSession::~WsSession() {
  context_->keepalive.remove(*this);
  drop_queued(0);
  if (counted_) metrics::server().connections.add(-1);
}

void WsSession::on_closed() {
  if (detached_) return;
  detached_ = true;
  if (realtime_) realtime_->closed();
  if (!user_.valid()) return;
  context_->hub.detach(*this);
  auto& services = context_->operations.services();
  services.typing.connection_closed(id_);
  services.presence.disconnected({user_, id_, login_});
}

}  // namespace parley::gateway
