// The only translation unit with Beast's WebSocket and Asio's timers: Loop and WsConn.
#include "ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <deque>
#include <optional>
#include <netinet/in.h>
#include <unordered_map>

namespace parley::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;

// ---- Loop -------------------------------------------------------------------------------

// Every incoming frame is parsed into memory reused for the next one. The bench receives
// hundreds of thousands of frames a second on one core, and a fresh tree per frame (allocated
// node by node, freed node by node) was a third of its time in a fan-out burst. A handler sees
// its frame only during its call.
class FrameParser {
 public:
  // Null when the text is not JSON.
  const json::value* parse(std::string_view text) {
    parsed_.reset();
    // A new arena each time on the same buffer: monotonic_resource::release() here (Boost
    // 1.81) grows its next block without end, and soon fails to allocate.
    arena_.reset();
    arena_.emplace(buffer_, sizeof buffer_);
    parser_.reset(json::storage_ptr(&*arena_));
    boost::system::error_code ec;
    parser_.write(text.data(), text.size(), ec);
    if (ec) return nullptr;
    // Constructed, not assigned: an assignment would copy it out of the arena.
    return &parsed_.emplace(parser_.release());
  }

 private:
  // Most frames fit; a larger one (a sync reply) takes more from the heap, freed with the arena.
  unsigned char buffer_[16 << 10];
  std::optional<json::monotonic_resource> arena_;
  json::parser parser_;
  std::optional<json::value> parsed_;
};

struct Loop::Impl {
  // One thread runs it: the hint lets Asio skip its internal locking.
  net::io_context io{1};
  FrameParser frames;
};

Loop::Loop() : impl_(std::make_unique<Impl>()) {}
Loop::~Loop() = default;

void Loop::post(std::function<void()> fn) { net::post(impl_->io, std::move(fn)); }

void Loop::at(std::int64_t when_ns, std::function<void()> fn) {
  auto timer = std::make_shared<net::steady_timer>(impl_->io);
  timer->expires_at(Clock::time_point(std::chrono::nanoseconds(when_ns)));
  timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (!ec) fn();
  });
}

bool Loop::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  // Checking done() every 2 ms costs nothing measurable and bounds how late a phase ends.
  constexpr auto kCheckEvery = std::chrono::milliseconds(2);
  const auto deadline = Clock::now() + timeout;
  auto& io = impl_->io;
  io.restart();
  while (!done() && Clock::now() < deadline) {
    io.run_for(kCheckEvery);
    if (io.stopped()) {
      io.restart();
      // Nothing left to run: nothing can make done() true but the passing of time.
      if (!done()) io.run_for(kCheckEvery);
    }
  }
  return done();
}

void Loop::run_for(std::chrono::milliseconds duration) {
  run_until([] { return false; }, duration);
}

// ---- WsConn -----------------------------------------------------------------------------

struct WsImpl : std::enable_shared_from_this<WsImpl> {
  WsImpl(Loop& loop, std::string source)
      : ws(loop.impl().io), frames(loop.impl().frames), source_address(std::move(source)) {}

  // The socket names its executor's type: Asio's type-erased one was copied and destroyed on
  // every read, a tenth of the bench's time when frames arrive by the hundred thousand.
  websocket::stream<net::basic_stream_socket<tcp, net::io_context::executor_type>> ws;
  FrameParser& frames;
  std::string source_address;
  std::string host;
  beast::flat_buffer buffer;
  std::deque<std::string> outbox;
  bool writing = false;
  bool is_ready = false;
  bool closed = false;
  bool dropped = false;
  std::int64_t next_id = 1;
  std::unordered_map<std::int64_t, WsConn::ReplyHandler> waiting;
  WsConn::EventHandler event_handler;
  WsConn::RawHandler raw_handler;
  WsConn::ClosedHandler closed_handler;
  WsConn::ReadyHandler ready_handler;

  void fail_ready(const std::string& why) {
    if (auto h = std::move(ready_handler)) {
      ready_handler = nullptr;
      h(false, why);
    }
  }

  void connect(const std::string& h, unsigned short port, const std::string& token) {
    host = h + ":" + std::to_string(port);
    boost::system::error_code ec;
    auto& sock = ws.next_layer();
    sock.open(tcp::v4(), ec);
    if (!ec) {
      // Without this the kernel picks the port at bind() time, unaware of the destination, and
      // one source address runs out after ~28k connections to anyone; with it, the port is
      // picked at connect() and only has to be unique per destination.
      int one = 1;
      ::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
      sock.bind(tcp::endpoint(net::ip::make_address(source_address), 0), ec);
    }
    if (ec) return finish("bind " + source_address + ": " + ec.message());
    const tcp::endpoint server(net::ip::make_address(h), port);
    sock.async_connect(server, [self = shared_from_this(), token](const boost::system::error_code& cec) {
      if (cec) return self->finish("connect: " + cec.message());
      self->ws.next_layer().set_option(tcp::no_delay(true));
      self->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      self->ws.async_handshake(self->host, "/v1/ws?token=" + token,
                               [self](const boost::system::error_code& hec) {
                                 if (hec) return self->finish("handshake: " + hec.message());
                                 self->do_read();
                               });
    });
  }

  void do_read() {
    ws.async_read(buffer, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(const boost::system::error_code& ec) {
    if (ec) {
      int code = 0;
      if (ec == websocket::error::closed) code = ws.reason().code;
      return finish(ec.message(), code);
    }
    const auto data = buffer.cdata();
    std::string_view text(static_cast<const char*>(data.data()), data.size());
    const bool consumed = raw_handler && raw_handler(text);
    const json::value* frame = consumed ? nullptr : frames.parse(text);
    buffer.consume(buffer.size());
    if (frame && frame->is_object()) dispatch(frame->as_object());
    if (!closed) do_read();
  }

  void dispatch(const json::object& frame) {
    if (const auto* name = frame.if_contains("event"); name && name->is_string()) {
      static const json::object kEmpty;
      const auto* data = frame.if_contains("data");
      const json::object& d = data && data->is_object() ? data->as_object() : kEmpty;
      const std::string event(name->as_string());
      if (event == "ready" && !is_ready) {
        is_ready = true;
        if (auto h = std::move(ready_handler)) {
          ready_handler = nullptr;
          h(true, {});
        }
      }
      if (event_handler) event_handler(event, d);
      return;
    }
    const auto* id = frame.if_contains("id");
    if (!id || !id->is_int64()) return;
    auto it = waiting.find(id->as_int64());
    if (it == waiting.end()) return;
    auto handler = std::move(it->second);
    waiting.erase(it);
    if (handler) handler(frame);
  }

  std::int64_t request(json::object frame, WsConn::ReplyHandler on_reply) {
    const std::int64_t id = next_id++;
    frame["id"] = id;
    if (closed) return id;  // the reply never comes; the caller counts it as lost
    waiting.emplace(id, std::move(on_reply));
    outbox.push_back(json::serialize(frame));
    if (!writing) do_write();
    return id;
  }

  void do_write() {
    writing = true;
    ws.text(true);
    ws.async_write(net::buffer(outbox.front()), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      self->writing = false;
      if (ec) return self->finish("write: " + ec.message());
      self->outbox.pop_front();
      if (!self->outbox.empty() && !self->closed) self->do_write();
    });
  }

  void drop() {
    if (closed) return;
    dropped = true;
    finish("dropped by the bench", -1);
  }

  // The end of the connection, whatever ended it; reported once.
  void finish(const std::string& why, int code = 0) {
    if (closed) return;
    closed = true;
    is_ready = false;
    boost::system::error_code ignored;
    ws.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    ws.next_layer().close(ignored);
    outbox.clear();
    waiting.clear();
    fail_ready(why);
    if (auto h = std::move(closed_handler)) {
      closed_handler = nullptr;
      h(dropped ? -1 : code);
    }
  }
};

WsConn::WsConn(Loop& loop, std::string source_address)
    : impl_(std::make_shared<WsImpl>(loop, std::move(source_address))) {}

WsConn::~WsConn() {
  // Handlers may hold references to their owner: forget them before the socket is closed.
  impl_->event_handler = nullptr;
  impl_->closed_handler = nullptr;
  impl_->ready_handler = nullptr;
  impl_->finish("closed by the bench", -1);
}

void WsConn::connect(const std::string& host, unsigned short port, const std::string& token, ReadyHandler on_ready) {
  impl_->ready_handler = std::move(on_ready);
  impl_->connect(host, port, token);
}

std::int64_t WsConn::request(boost::json::object frame, ReplyHandler on_reply) {
  return impl_->request(std::move(frame), std::move(on_reply));
}

void WsConn::drop() { impl_->drop(); }
bool WsConn::ready() const { return impl_->is_ready && !impl_->closed; }
std::size_t WsConn::pending_replies() const { return impl_->waiting.size(); }
std::size_t WsConn::queued_writes() const { return impl_->outbox.size(); }
void WsConn::on_event(EventHandler handler) { impl_->event_handler = std::move(handler); }
void WsConn::on_raw(RawHandler handler) { impl_->raw_handler = std::move(handler); }
void WsConn::on_closed(ClosedHandler handler) { impl_->closed_handler = std::move(handler); }

}  // namespace parley::bench
