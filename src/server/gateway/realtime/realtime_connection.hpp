#pragma once
// One Supabase Realtime connection's channels: what its Phoenix messages ask for, and how Parley's
// events reach it (docs/supabase.md). It lives on its WebSocket session's strand, which carries
// its bytes (ws_session.hpp); every method runs there.
//
// Messages of a room reach a channel in seq order, each once: from the hub live, and from the
// store when the client asked to catch up (after_seq) or a gap shows. While a room is being
// read from the store, live rows wait (bounded), and go out after it, those not already sent.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/gateway/realtime/join_config.hpp"
#include "server/gateway/realtime/phoenix_message.hpp"
#include "server/gateway/realtime/topic_registry.hpp"
#include "server/gateway/token_bucket.hpp"
#include "server/hub/subscriber.hpp"
#include "server/service/caller.hpp"
#include "server/service/sync_service.hpp"

namespace parley::gateway {
struct GatewayContext;
}

namespace parley::gateway::realtime {

// How the connection reaches its session.
struct SessionLink {
  // Queues a frame behind those already queued, on the strand (no mailbox: the order of what
  // this connection sends is the order it decided it in).
  std::function<void(hub::Frame)> send;
  // Runs `work` later on the strand, if the session still lives.
  std::function<void(std::function<void()>)> on_strand;
  // Bytes queued for the socket: a catch-up reads its next page only once they are few.
  std::function<std::size_t()> queued_bytes;
  // Where the other joiners of a topic send broadcasts and presence (any thread).
  std::weak_ptr<hub::Subscriber> sink;
  // Makes the session the user's connection, in the hub and in presence: called once, when a
  // connection opened with an expired key first shows a live token.
  std::function<void()> attach;
};

class Connection {
 public:
  Connection(GatewayContext& context, SessionLink link, service::Caller caller, RealtimeStart start);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Whether the session is the user's connection yet: from the start when its key was live,
  // otherwise from its first live token.
  [[nodiscard]] bool attached() const { return attached_; }
  [[nodiscard]] UserId user() const { return caller_.user; }

  void on_message(std::string_view bytes, bool binary);
  // A Parley event frame for the connection's user, from the hub: a message becomes rows of
  // the channels that listen to its room; anything else is not for Realtime clients.
  void on_event(const hub::Frame& frame);
  // The session's send queue is down to a quarter: catch-ups waiting for that read on.
  void on_drained();
  // The socket is gone: leaves every topic, so that the others see its presence leave. Nothing
  // is sent after it. It may run in the middle of one of this class's own calls (a send that
  // finds the socket broken), so it changes no channel: only the registry and this flag.
  void closed();

 private:
  struct HeldRow {
    std::int64_t seq;
    boost::json::object message;
    std::size_t bytes;  // counted against --held bytes of the connection
  };
  struct RoomCursor {
    std::int64_t last = -1;  // the last seq sent; -1 until the first
    bool reading = false;    // reading the store after `last`
    std::vector<HeldRow> held;  // live rows while reading
    bool overflowed = false;  // some live rows were not held: read again
  };
  struct Binding {
    std::int64_t id;
    ChangesBinding spec;
  };
  struct Channel {
    std::string join_ref;
    std::uint64_t generation = 0;
    bool joined = false;  // false while its join is being checked
    bool ack = false;
    std::string presence_key;
    std::vector<Binding> bindings;
    std::vector<RoomId> rooms;  // the rooms its join names (topic and filters), from the start
    std::map<RoomId, RoomCursor> cursors;
  };

  void reply(const PhoenixMessage& to, std::string_view status, boost::json::value response);
  void reply_error(const PhoenixMessage& to, std::string reason);
  void push(const std::string& topic, const std::optional<std::string>& join_ref, std::string_view event,
            boost::json::value payload);
  void system_message(const std::string& topic, const std::optional<std::string>& join_ref, std::string_view extension,
                      std::string_view status, std::string message);

  void join(PhoenixMessage message);
  void check_rooms(PhoenixMessage message, JoinConfig config, std::uint64_t generation, std::vector<RoomId> rooms);
  void finish_join(const PhoenixMessage& message, JoinConfig config);
  void leave(const PhoenixMessage& message);
  void end_channel(const std::string& topic, std::string why);
  // The channel failed (the store could not be read): phx_error, after which realtime-js joins
  // again, and catches up from its binding's after_seq.
  void fail_channel(const std::string& topic);
  void broadcast(const PhoenixMessage& message);
  void presence(const PhoenixMessage& message);
  void refresh_token(const PhoenixMessage& message);

  void lose_room(RoomId room);
  // Rows of `room` for `channel`: live ones go through offer(); reading the store through read().
  void offer(const std::string& topic, Channel& channel, RoomId room, std::int64_t seq, const boost::json::object& message,
             std::size_t bytes);
  void read(const std::string& topic, Channel& channel, RoomId room);
  void fetch(const std::string& topic, std::uint64_t generation, RoomId room, std::int64_t after);
  void on_read(const std::string& topic, std::uint64_t generation, RoomId room, Result<service::RoomCatchUp> page);
  // Sends the rows held while reading, in order, or reads again where they leave a gap.
  void release_held(const std::string& topic, Channel& channel, RoomId room);
  void send_row(const std::string& topic, Channel& channel, RoomId room, const boost::json::object& message);
  // An edit or a deletion: the UPDATE of the row it names, as that row stands now (read from
  // the store), to the bindings that take UPDATE.
  void send_update(const std::string& topic, Channel& channel, RoomId room, const boost::json::object& event);
  void push_change(const std::string& topic, const Channel& channel, RoomId room, std::string_view type,
                   const boost::json::object& message, const boost::json::value& commit_timestamp,
                   const boost::json::object* old_record);

  GatewayContext& context_;
  SessionLink link_;
  service::Caller caller_;
  Serializer serializer_;
  // The token the connection opened with: a join that carries none needs this one still live.
  std::string key_;
  TokenBucket events_;
  TokenBucket joins_;
  TokenBucket presence_calls_;
  std::map<std::string, Channel> channels_;
  struct WaitingRead {
    std::string topic;
    std::uint64_t generation;
    RoomId room;
  };
  std::vector<WaitingRead> waiting_reads_;  // until the send queue drains
  std::size_t held_bytes_ = 0;              // of every cursor's held rows
  // Reads of rows an edit or a deletion changed, in flight. At most kMaxUpdateReads: past them
  // an UPDATE is not sent (the row reads as it stands at the next select), so that a flood of
  // edits costs the store a bounded number of reads per connection.
  static constexpr std::size_t kMaxUpdateReads = 64;
  std::size_t update_reads_ = 0;
  bool closed_ = false;
  bool attached_;
  std::uint64_t next_generation_ = 1;
  std::int64_t next_binding_id_ = 1;
};

}  // namespace parley::gateway::realtime
