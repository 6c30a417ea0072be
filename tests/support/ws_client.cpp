#include "support/ws_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace parley::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kConnectTimeout = 20s;
constexpr auto kCloseOnDestroyTimeout = 2s;
// Far above any frame the server should send; a bigger one fails the read and shows up as a
// closed connection in the test.
constexpr std::size_t kMaxIncomingMessage = 64 * 1024 * 1024;

std::string shorten(std::string_view s, std::size_t max = 300) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "...(" + std::to_string(s.size()) + " bytes)";
}

// Connects and upgrades; `response` receives the server's answer to the upgrade request.
beast::error_code connect_stream(asio::io_context& ioc, websocket::stream<beast::tcp_stream>& ws,
                                 int port, std::string_view target,
                                 websocket::response_type& response) {
  beast::error_code result;
  auto& tcp_layer = beast::get_lowest_layer(ws);
  tcp_layer.expires_after(kConnectTimeout);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  tcp_layer.async_connect(endpoint, [&](beast::error_code ec) { result = ec; });
  ioc.run();
  if (result) return result;

  // From here the websocket stream's own timer bounds the handshake.
  tcp_layer.expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = kConnectTimeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws.set_option(timeouts);
  ws.auto_fragment(false);  // one message, one frame: frame-size limits apply to what we send
  ws.read_message_max(kMaxIncomingMessage);

  ioc.restart();
  ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), std::string(target), [&](beast::error_code ec) {
    result = ec;
    // A refused handshake leaves the stream's handshake timer armed, and run() would wait it out.
    if (ec) ioc.stop();
  });
  ioc.run();
  return result;
}

}  // namespace

// ---- WsReply -----------------------------------------------------------------------------

bool WsReply::ok() const {
  auto it = frame.find("ok");
  return it != frame.end() && it->value().is_bool() && it->value().get_bool();
}

const json::object& WsReply::data() const {
  if (!ok()) throw std::runtime_error("expected a successful reply, got " + dump());
  auto it = frame.find("data");
  if (it == frame.end() || !it->value().is_object())
    throw std::runtime_error("a successful reply without a \"data\" object: " + dump());
  return it->value().get_object();
}

std::string WsReply::error_code() const {
  auto it = frame.find("error");
  if (it == frame.end() || !it->value().is_object()) return {};
  const auto* code = it->value().get_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : std::string();
}

std::string WsReply::error_message() const {
  auto it = frame.find("error");
  if (it == frame.end() || !it->value().is_object()) return {};
  const auto* message = it->value().get_object().if_contains("message");
  return message && message->is_string() ? std::string(message->get_string()) : std::string();
}

std::string WsReply::dump() const { return shorten(json::serialize(frame), 2000); }

// ---- Impl --------------------------------------------------------------------------------

struct WsClient::Impl {
  struct PendingWrite {
    std::string data;
    bool binary = false;
    std::shared_ptr<std::promise<beast::error_code>> done;
  };

  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer read_buffer;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread io_thread;

  // Touched only on the I/O thread.
  std::deque<PendingWrite> write_queue;
  bool writing = false;

  // Touched only by the test thread that uses the client.
  std::int64_t next_id = 1;

  // Shared between the I/O thread and the test thread, under `mutex`.
  mutable std::mutex mutex;
  std::condition_variable arrived;
  std::map<std::string, std::deque<json::object>> replies;  // by serialized id
  std::deque<Event> events;
  bool closed = false;
  int close_code = 0;
  std::string close_detail;
  std::string last_write_error;

  ~Impl() { shut_down(); }

  beast::error_code connect(int port, std::string_view target, websocket::response_type& response) {
    return connect_stream(ioc, ws, port, target, response);
  }

  void start_reading() {
    ioc.restart();
    work.emplace(asio::make_work_guard(ioc));
    do_read();
    io_thread = std::thread([this] { ioc.run(); });
  }

  void shut_down() {
    if (!io_thread.joinable()) return;
    work.reset();
    ioc.stop();  // pending handlers are destroyed unrun; the socket closes with `ws`
    io_thread.join();
  }

  void do_read() {
    ws.async_read(read_buffer, [this](beast::error_code ec, std::size_t) { on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      std::lock_guard lock(mutex);
      closed = true;
      // A close frame that arrived counts even if the TCP teardown after it failed (the
      // server may reset a connection whose unread bytes it discards, e.g. after 1009).
      if (ec == websocket::error::closed || ws.reason().code != websocket::close_code::none) {
        close_code = ws.reason().code;
        close_detail = std::string(ws.reason().reason.c_str());
      } else {
        close_code = kAbnormalClosure;
        close_detail = ec.message();
      }
      arrived.notify_all();
      return;
    }
    std::string text = beast::buffers_to_string(read_buffer.data());
    read_buffer.consume(read_buffer.size());
    file_frame(text);
    do_read();
  }

  // Replies carry an "id" (possibly null); events an "event" name, as Phoenix messages do too.
  // Anything else breaks the protocol and fails the test on the spot.
  void file_frame(const std::string& text) {
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    std::lock_guard lock(mutex);
    if (!ec && value.is_object()) {
      json::object& frame = value.get_object();
      if (const json::value* name = frame.if_contains("event"); name && name->is_string()) {
        Event event{std::string(name->get_string()), {}};
        if (json::value* data = frame.if_contains("data"); data && data->is_object()) {
          event.data = std::move(data->get_object());
        } else if (frame.contains("topic")) {
          // A Phoenix message (Supabase Realtime, serializer 1.0.0): the whole of it.
          event.data = std::move(frame);
        }
        events.push_back(std::move(event));
        arrived.notify_all();
        return;
      }
      if (const json::value* id = frame.if_contains("id")) {
        replies[json::serialize(*id)].push_back(std::move(frame));
        arrived.notify_all();
        return;
      }
    }
    ADD_FAILURE() << "the server sent a frame that is neither a reply nor an event: "
                  << shorten(text);
  }

  void do_write() {
    if (writing || write_queue.empty()) return;
    writing = true;
    PendingWrite& next = write_queue.front();
    ws.binary(next.binary);
    ws.async_write(asio::buffer(next.data), [this](beast::error_code ec, std::size_t) {
      PendingWrite done = std::move(write_queue.front());
      write_queue.pop_front();
      writing = false;
      done.done->set_value(ec);
      do_write();
    });
  }

  // Queues a frame on the I/O thread and waits until it is written. A write that fails because
  // the connection is gone is not an error here: the test sees the close when it waits.
  void write(std::string data, bool binary) {
    auto done = std::make_shared<std::promise<beast::error_code>>();
    auto written = done->get_future();
    asio::post(ioc, [this, data = std::move(data), binary, done]() mutable {
      write_queue.push_back({std::move(data), binary, std::move(done)});
      do_write();
    });
    if (written.wait_for(kWsWaitTimeout) != std::future_status::ready)
      throw std::runtime_error("a frame could not be written within " +
                               std::to_string(kWsWaitTimeout.count()) +
                               " s: the server stopped reading" + describe());
    if (beast::error_code ec = written.get()) {
      std::lock_guard lock(mutex);
      last_write_error = ec.message();
    }
  }

  // What the client holds, for the message of a wait that failed. The caller holds `mutex`.
  std::string describe_locked() const {
    std::string s = "\n  connection: ";
    s += closed ? "closed with code " + std::to_string(close_code) + " (" + close_detail + ")" : "open";
    if (!last_write_error.empty()) s += "\n  last write error: " + last_write_error;
    s += "\n  unclaimed replies:";
    std::size_t shown = 0;
    for (const auto& [id, frames] : replies) {
      for (const auto& frame : frames) {
        if (shown++ < 5) s += "\n    " + shorten(json::serialize(frame));
      }
    }
    if (shown > 5) s += "\n    ... " + std::to_string(shown) + " in all";
    if (shown == 0) s += " none";
    s += "\n  unconsumed events (" + std::to_string(events.size()) + "):";
    for (std::size_t i = 0; i < events.size() && i < 10; ++i)
      s += "\n    " + events[i].name + " " + shorten(json::serialize(events[i].data));
    return s;
  }

  // The same, taking `mutex`.
  std::string describe() const {
    std::lock_guard lock(mutex);
    return describe_locked();
  }

  std::optional<Event> take_event(const std::function<bool(const Event&)>& match,
                                  std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex);
    auto found = events.end();
    auto ready = [&] {
      found = std::find_if(events.begin(), events.end(), match);
      return found != events.end() || closed;
    };
    arrived.wait_for(lock, wait, ready);
    if (found == events.end()) return std::nullopt;
    Event event = std::move(*found);
    events.erase(found);
    return event;
  }
};

// ---- WsClient ----------------------------------------------------------------------------

WsClient::WsClient(int port, std::string_view target) : impl_(std::make_unique<Impl>()) {
  websocket::response_type response;
  if (beast::error_code ec = impl_->connect(port, target, response)) {
    if (ec == websocket::error::upgrade_declined)
      throw std::runtime_error("WebSocket upgrade of " + std::string(target) + " refused with HTTP " +
                               std::to_string(response.result_int()) + ": " + shorten(response.body()));
    throw std::runtime_error("WebSocket connection to " + std::string(target) + " failed: " + ec.message());
  }
  impl_->start_reading();
}

WsClient::~WsClient() {
  if (!impl_) return;
  // Say goodbye properly so the server sees a clean close, but never hang a test on it.
  if (!is_closed()) {
    try {
      auto done = std::make_shared<std::promise<beast::error_code>>();
      auto closed = done->get_future();
      asio::post(impl_->ioc, [impl = impl_.get(), done] {
        impl->ws.async_close(websocket::close_code::normal,
                             [done](beast::error_code ec) { done->set_value(ec); });
      });
      closed.wait_for(kCloseOnDestroyTimeout);
    } catch (...) {
    }
  }
  impl_->shut_down();
}

WsClient::WsClient(WsClient&&) noexcept = default;
WsClient& WsClient::operator=(WsClient&&) noexcept = default;

WsReply WsClient::auth(std::string_view token) {
  return request("auth", json::object{{"token", token}});
}

WsReply WsClient::request(std::string_view op, json::object params) {
  return wait_reply(send_request(op, std::move(params)));
}

json::value WsClient::send_request(std::string_view op, json::object params) {
  json::object frame;
  frame["id"] = impl_->next_id++;
  frame["op"] = op;
  for (auto& [key, value] : params) frame[key] = std::move(value);
  json::value id = frame["id"];
  impl_->write(json::serialize(frame), false);
  return id;
}

WsReply WsClient::wait_reply(const json::value& id) {
  const std::string key = json::serialize(id);
  std::unique_lock lock(impl_->mutex);
  auto has_reply = [&] {
    auto it = impl_->replies.find(key);
    return it != impl_->replies.end() && !it->second.empty();
  };
  impl_->arrived.wait_for(lock, kWsWaitTimeout, [&] { return has_reply() || impl_->closed; });
  if (!has_reply()) {
    throw std::runtime_error(
        (impl_->closed ? "the connection closed before the reply to request id " + key
                       : "no reply to request id " + key + " within " +
                             std::to_string(kWsWaitTimeout.count()) + " s") +
        impl_->describe_locked());
  }
  auto it = impl_->replies.find(key);
  WsReply reply{std::move(it->second.front())};
  it->second.pop_front();
  if (it->second.empty()) impl_->replies.erase(it);
  return reply;
}

void WsClient::send_raw(std::string_view text) { impl_->write(std::string(text), false); }

void WsClient::send_binary(std::string_view bytes) { impl_->write(std::string(bytes), true); }

Event WsClient::next_event(std::string_view name) {
  const std::string wanted(name);
  auto event = impl_->take_event([&](const Event& e) { return e.name == wanted; }, kWsWaitTimeout);
  if (!event)
    throw std::runtime_error("no \"" + wanted + "\" event arrived" + impl_->describe());
  return std::move(*event);
}

Event WsClient::wait_event(const std::function<bool(const Event&)>& match) {
  auto event = impl_->take_event(match, kWsWaitTimeout);
  if (!event)
    throw std::runtime_error("no matching event arrived" + impl_->describe());
  return std::move(*event);
}

std::optional<Event> WsClient::try_next_event(std::string_view name, std::chrono::milliseconds wait) {
  const std::string wanted(name);
  return impl_->take_event([&](const Event& e) { return e.name == wanted; }, wait);
}

std::optional<Event> WsClient::try_wait_event(const std::function<bool(const Event&)>& match,
                                              std::chrono::milliseconds wait) {
  return impl_->take_event(match, wait);
}

void WsClient::close() {
  if (is_closed()) return;
  auto done = std::make_shared<std::promise<beast::error_code>>();
  auto closed = done->get_future();
  asio::post(impl_->ioc, [impl = impl_.get(), done] {
    impl->ws.async_close(websocket::close_code::normal,
                         [done](beast::error_code ec) { done->set_value(ec); });
  });
  if (closed.wait_for(kWsWaitTimeout) != std::future_status::ready)
    throw std::runtime_error("the server did not complete the close handshake" +
                             impl_->describe());
}

int WsClient::wait_closed(std::chrono::milliseconds wait) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->arrived.wait_for(lock, wait, [&] { return impl_->closed; }))
    throw std::runtime_error("the server did not close the connection" + impl_->describe_locked());
  return impl_->close_code;
}

bool WsClient::is_closed() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->closed;
}

int ws_upgrade_status(int port, std::string_view target) {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  websocket::response_type response;
  const beast::error_code ec = connect_stream(ioc, ws, port, target, response);
  if (ec == websocket::error::upgrade_declined) return static_cast<int>(response.result_int());
  if (ec) throw std::runtime_error("WebSocket connection to " + std::string(target) + " failed: " + ec.message());
  // Accepted: close politely, bounded, and report the switch.
  ioc.restart();
  ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
  ioc.run_for(kCloseOnDestroyTimeout);
  return 101;
}

}  // namespace parley::test
