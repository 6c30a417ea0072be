#pragma once
// A WebSocket client of parleyd for tests.
//
// A background thread reads every frame as soon as it arrives (a real client keeps reading, and a
// connection that stops reading would be dropped by the server for falling behind). Replies are
// filed by request id and events kept in arrival order until the test asks for them. Every wait
// is bounded: a reply or event that never comes throws, naming what was awaited and what was
// received instead, and the test fails with that message.
//
// One test thread at a time may use a client; different clients may be used from different
// threads.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace parley::test {

// The bound on a single wait for a reply, an event or a close. Only a broken server reaches it.
inline constexpr std::chrono::seconds kWsWaitTimeout{20};

// The close code reported when the connection ended without a close frame (RFC 6455 1006).
inline constexpr int kAbnormalClosure = 1006;

struct WsReply {
  boost::json::object frame;  // the whole reply: {"id", "ok", "data" | "error"}

  [[nodiscard]] bool ok() const;
  // "data" of a successful reply; throws with the frame when the reply is an error.
  [[nodiscard]] const boost::json::object& data() const;
  // "error.code" / "error.message", or "" for a successful reply.
  [[nodiscard]] std::string error_code() const;
  [[nodiscard]] std::string error_message() const;
  [[nodiscard]] std::string dump() const;
};

struct Event {
  std::string name;           // "message", "room.joined", ...
  boost::json::object data;
};

class WsClient {
 public:
  // Connects and upgrades `target` (e.g. "/v1/ws" or "/v1/ws?token=...") on 127.0.0.1:port.
  // Throws when the connection or the upgrade fails (the message includes the HTTP status).
  explicit WsClient(int port, std::string_view target = "/v1/ws");
  ~WsClient();
  WsClient(WsClient&&) noexcept;
  WsClient& operator=(WsClient&&) noexcept;
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // {"op": "auth", "token": token}, waiting for the reply.
  WsReply auth(std::string_view token);

  // Sends {"id": <next integer>, "op": op, ...params} and waits for the reply with that id.
  // Events arriving meanwhile are kept for next_event / wait_event.
  WsReply request(std::string_view op, boost::json::object params = {});

  // The same in two halves, to pipeline: send many, then collect their replies.
  [[nodiscard]] boost::json::value send_request(std::string_view op, boost::json::object params = {});
  WsReply wait_reply(const boost::json::value& id);

  // Arbitrary bytes in one text or binary frame (never fragmented, so that size limits apply to
  // exactly this frame). Their replies, if any, are collected with wait_reply(id) (null id for
  // frames the server could not read).
  void send_raw(std::string_view text);
  void send_binary(std::string_view bytes);

  // The oldest unconsumed event called `name`, waiting for one if there is none yet. Events of
  // other names stay buffered.
  Event next_event(std::string_view name);
  // The oldest unconsumed event for which `match` is true.
  Event wait_event(const std::function<bool(const Event&)>& match);
  // For checking that something does NOT arrive: waits at most `wait`.
  std::optional<Event> try_next_event(std::string_view name,
                                      std::chrono::milliseconds wait = std::chrono::milliseconds(500));
  std::optional<Event> try_wait_event(const std::function<bool(const Event&)>& match,
                                      std::chrono::milliseconds wait = std::chrono::milliseconds(500));

  // Closes with 1000 and waits (bounded) for the server's close frame.
  void close();
  // Waits until the server ends the connection; returns the close code it sent, or
  // kAbnormalClosure when the connection dropped without a close frame.
  int wait_closed(std::chrono::milliseconds wait = kWsWaitTimeout);
  [[nodiscard]] bool is_closed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The HTTP status of an upgrade request to `target`: 101 when it was accepted (the connection is
// then closed again), otherwise the refusal's status, e.g. 401 for an invalid ?token=.
[[nodiscard]] int ws_upgrade_status(int port, std::string_view target);

}  // namespace parley::test
