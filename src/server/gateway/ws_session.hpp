#pragma once
// One WebSocket connection: reads request frames, answers them, and sends the events the hub
// delivers. After Beast's handshake it speaks the frames itself on the TCP socket:
// - it waits for the socket to become readable instead of keeping a read buffer, and reads into
//   a buffer of its thread, so an idle connection holds no buffer;
// - it writes every frame queued since the last write in one system call.
// The session owns itself (shared_from_this) while an operation is pending. All its state lives
// on its strand; other threads reach it only through deliver() (and its mailbox), go_away() and
// keepalive_tick().
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>

#include "server/gateway/frame_queue.hpp"
#include "server/gateway/gateway_context.hpp"
#include "server/gateway/keepalive.hpp"
#include "server/gateway/mailbox.hpp"
#include "server/gateway/strand_pool.hpp"
#include "server/gateway/token_bucket.hpp"
#include "server/gateway/websocket/frame_codec.hpp"
#include "server/gateway/websocket/tls_wire.hpp"
#include "server/hub/subscriber.hpp"

namespace parley::gateway {

namespace realtime {
class Connection;
struct RealtimeStart;
}  // namespace realtime

class WsSession final : public hub::Subscriber,
                        public Keepalive::Member,
                        public std::enable_shared_from_this<WsSession> {
 public:
  // The connection's strand, one of the listener's pool, named by its type rather than
  // type-erased: the socket and each operation pending on it hold their executor, 24 bytes
  // instead of any_io_executor's 56.
  using Executor = StrandPool::Strand;
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

  WsSession(const Executor& executor, std::shared_ptr<GatewayContext> context);
  ~WsSession() override;

  // Makes the connection speak Supabase Realtime (realtime/realtime_connection.hpp) rather than
  // Parley's own frames. Called before run(), which must then name the user.
  void speak_realtime(realtime::RealtimeStart start, const service::Identity& user);

  // Completes the upgrade on `socket`. `user` is set when the query carried a valid token.
  void run(boost::asio::ip::tcp::socket socket, boost::beast::http::request<boost::beast::http::string_body> request,
           std::optional<service::Identity> user);
  // The same over TLS (websocket/tls_wire.hpp).
  void run(TlsStreamPtr stream, boost::beast::http::request<boost::beast::http::string_body> request,
           std::optional<service::Identity> user);

  [[nodiscard]] std::uint64_t connection_id() const override { return id_; }
  [[nodiscard]] UserId user_id() const override { return user_; }
  void deliver(hub::Frame frame) override;
  void go_away() override;
  void end_login(std::uint32_t login_tag) override;
  void keepalive_tick() override;

 private:
  enum class Closing : std::uint8_t { no, queued, sent };

  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  // The handshake is done, on either kind of connection: starts keeping it alive and reading.
  void start();
  void do_read();
  void on_readable(boost::system::error_code ec);
  void on_tls_read(boost::system::error_code ec, char* bytes, std::size_t size);
  // Hands bytes read to the frame reader. False when the connection is gone.
  bool take_bytes(char* bytes, std::size_t size);
  // Reads the next bytes unless the send queue is too full to take more replies.
  void read_unless_behind();
  // Returns false to stop reading this connection's frames.
  bool on_message(const websocket::Message& message);
  void handle_frame(std::string_view bytes);
  void handle_auth(const boost::json::value& id, const boost::json::object& params);
  void authenticated(const boost::json::value& id, Result<service::Identity> identity);
  // Sends the confirmation of authentication (`ready` or the `auth` reply): called once, from any thread.
  using Confirm = std::function<void(hub::Frame confirmation)>;
  // Subscribes the authenticated user in the hub, then runs `confirmation_step`, which reads
  // what the confirmation says and hands it to its Confirm; the presence snapshot follows it.
  void become_authenticated(UserId user, std::function<void(Confirm)> confirmation_step);
  void reply(const boost::json::value& id, Result<boost::json::value> result);
  // Moves what deliver() put in the mailbox to the outbox, and writes it.
  void take_mail();
  // Adds one frame to the outbox, or closes a connection too far behind.
  void enqueue(hub::Frame frame);
  void send_control(websocket::Opcode opcode, std::string_view payload);
  void do_write();
  // Queues a frame the Realtime connection made, on the strand, and writes it.
  void send_realtime(hub::Frame frame);
  // Writes `buffers` now if the socket takes them whole (true); otherwise writes the rest
  // asynchronously, or tears the connection down on an error (false).
  template <class Buffers>
  bool send_now(const Buffers& buffers);
  // A write has ended: drops what it carried, frees idle buffers, follows a close. True when
  // more is waiting to be written.
  bool wrote(boost::system::error_code ec);
  void on_tick();
  // Sends a close frame after the write in flight, dropping what is queued behind it.
  void close(std::uint16_t code, std::string_view reason);
  // Closes with 1013 (try again later), from any thread: the store could not be read.
  void close_for_store_outage();
  void drop_queued(std::size_t keep);
  // The close frame is out: half-close, and read until the peer closes its side too.
  void finish_closing();
  void teardown();
  void on_closed();

  Socket socket_;  // under TLS, unopened: only its executor, the strand, is used
  std::unique_ptr<websocket::TlsWire> tls_;  // null for plain TCP
  std::shared_ptr<GatewayContext> context_;
  std::uint64_t id_;
  // Not valid() until authenticated, except between run() and on_accept(), when it is the
  // user named by the query's token.
  UserId user_;
  // Only until the connection authenticates.
  std::unique_ptr<boost::asio::steady_timer> auth_timer_;
  TokenBucket budget_;
  websocket::FrameReader reader_;
  Mailbox mailbox_;  // filled from any thread, emptied on the strand
  FrameQueue outbox_;
  // Allocated only while something is being written: most connections are idle.
  struct WriteBuffers {
    std::string control;   // pongs, pings and the close frame waiting for the next write
    std::string gathered;  // the frames of the write in flight, when there are several
  };
  WriteBuffers& buffers();
  [[nodiscard]] bool has_control() const { return buffers_ && !buffers_->control.empty(); }

  std::unique_ptr<WriteBuffers> buffers_;
  // Set for a Supabase Realtime connection; null for Parley's own protocol.
  std::unique_ptr<realtime::Connection> realtime_;
  std::uint32_t frames_in_flight_ = 0;
  std::uint32_t login_ = 0;  // login_tag() of the login its token belongs to
  // Small fields packed together: there is a session per connection.
  char single_header_[10] = {};  // the header of a write of one frame
  Closing closing_ = Closing::no;
  std::uint8_t ticks_while_closing_ = 0;
  bool writing_ = false;
  bool reading_stopped_ = false;   // the reader failed or the peer sent close: input is discarded
  bool read_paused_ = false;       // the send queue is over its high-water mark: no read is armed
  bool heard_since_tick_ = true;
  bool ping_outstanding_ = false;
  bool close_when_drained_ = false;
  bool torn_down_ = false;
  bool detached_ = false;
  bool counted_ = false;  // in the connections gauge
  bool authenticating_ = false;  // an auth request waits for the authenticator
  bool flush_due_ = false;  // a write of what the Realtime connection queued is posted
};

}  // namespace parley::gateway
