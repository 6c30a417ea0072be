#pragma once
// One WebSocket connection: reads request frames, answers them, and sends the events the hub
// delivers. The session owns itself (shared_from_this) while an operation is pending. All its
// state lives on its strand; other threads reach it only through deliver() and go_away().
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>

#include "server/gateway/gateway_context.hpp"
#include "server/gateway/token_bucket.hpp"
#include "server/gateway/frame_queue.hpp"
#include "server/hub/subscriber.hpp"

namespace parley::gateway {

class WsSession final : public hub::Subscriber, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<GatewayContext> context);
  ~WsSession() override;

  // Completes the upgrade. `user` is set when the query carried a valid token.
  void run(boost::beast::http::request<boost::beast::http::string_body> request, std::optional<UserId> user);

  [[nodiscard]] std::uint64_t connection_id() const override { return id_; }
  [[nodiscard]] UserId user_id() const override { return user_.value_or(UserId{}); }
  void deliver(hub::Frame frame) override;
  void go_away() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_frame(std::string_view bytes, bool binary);
  void handle_auth(const boost::json::value& id, const boost::json::object& params);
  // Subscribes the authenticated user in the hub, then sends `confirmation`.
  void become_authenticated(UserId user, std::function<void()> confirmation);
  void reply(const boost::json::value& id, Result<boost::json::value> result);
  void enqueue(hub::Frame frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  // Closes after the frame in flight, dropping what is queued behind it.
  void close(boost::beast::websocket::close_code code, std::string_view reason);
  void start_close();
  // Drops queued frames beyond the first `keep` (the one being written, when there is one).
  void drop_queued(std::size_t keep);
  void on_closed();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<GatewayContext> context_;
  std::uint64_t id_;
  std::optional<UserId> user_;
  boost::asio::steady_timer auth_timer_;
  TokenBucket budget_;
  FrameQueue outbox_;
  bool writing_ = false;
  bool closing_ = false;         // the close handshake was started; nothing more is written
  std::optional<boost::beast::websocket::close_reason> pending_close_;
  bool close_when_drained_ = false;
  bool detached_ = false;
  bool counted_ = false;  // in the connections gauge
};

}  // namespace parley::gateway
