// One WebSocket connection to parleyd, speaking docs/protocol.md directly: requests are
// pipelined (each carries its own integer id and its reply is matched by it), writes go out one
// at a time from a queue, and every incoming frame is parsed with Boost.JSON and handed to the
// owner. All callbacks run on the Loop's thread.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "loop.hpp"

namespace parley::bench {

struct WsImpl;

class WsConn {
 public:
  using ReplyHandler = std::function<void(const boost::json::object& reply)>;
  using EventHandler = std::function<void(const std::string& name, const boost::json::object& data)>;
  // Why the connection ended: the close code the server sent (4008: too slow, 1001: shutting
  // down), 0 when the socket failed without a close frame, -1 when the bench dropped it.
  using ClosedHandler = std::function<void(int close_code)>;
  using ReadyHandler = std::function<void(bool ok, const std::string& error)>;

  WsConn(Loop& loop, std::string source_address);
  ~WsConn();  // closes the socket at once
  WsConn(const WsConn&) = delete;
  WsConn& operator=(const WsConn&) = delete;

  // Connects from the source address (bound before connect, so that many 127.0.0.x addresses
  // can share the load of ephemeral ports), upgrades with ?token= and calls on_ready when the
  // server's `ready` event says the connection is authenticated.
  void connect(const std::string& host, unsigned short port, const std::string& token, ReadyHandler on_ready);
  // Sends {"id": <next>, ...frame}; on_reply (may be empty) gets the reply. Returns the id.
  std::int64_t request(boost::json::object frame, ReplyHandler on_reply);
  // Closes the socket without a close handshake: to the server it looks like a vanished client.
  void drop();

  [[nodiscard]] bool ready() const;
  [[nodiscard]] std::size_t pending_replies() const;
  [[nodiscard]] std::size_t queued_writes() const;

  void on_event(EventHandler handler);
  // Sees every incoming frame's text before it is parsed; returning true consumes the frame,
  // which is then neither parsed nor handed to on_event. For a scenario whose frames by the
  // hundred thousand need one field each: parsing them whole is most of the bench's own time.
  using RawHandler = std::function<bool(std::string_view text)>;
  void on_raw(RawHandler handler);
  void on_closed(ClosedHandler handler);

 private:
  std::shared_ptr<WsImpl> impl_;
};

}  // namespace parley::bench
