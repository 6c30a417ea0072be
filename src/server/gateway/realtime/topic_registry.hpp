#pragma once
// Who has joined which Realtime topic, for what travels between joiners without touching the
// store: broadcasts and Phoenix Presence (docs/supabase.md).
//
// A joiner is a connection's channel on this node. Frames go to its connection through
// hub::Subscriber::deliver, which queues and never blocks, so fan-out happens under the
// registry's lock: a topic's presence_state and the diffs after it reach each joiner in the
// order they happened, which realtime-js relies on (it holds diffs back until it has the state).
//
// On a cluster each node relays its broadcasts and its presence changes to the others (through
// the function given to relay_with), and receives theirs. Presence is also re-announced every
// refresh, so that a node that stops announcing has its presences leave the others' state.
//
// Memory is bounded by the channels a connection may join (--realtime-channels) and by the
// payload limit on each presence meta.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/gateway/realtime/phoenix_message.hpp"
#include "server/gateway/realtime/topic_relay.hpp"
#include "server/hub/subscriber.hpp"

namespace parley::gateway::realtime {

struct Joiner {
  std::uint64_t connection = 0;
  Serializer serializer = Serializer::v2;
  std::string join_ref;
  bool receive_own_broadcasts = false;  // config.broadcast.self
  bool presence = false;                // config.presence.enabled: gets presence_state and diffs
  std::weak_ptr<hub::Subscriber> sink;
};

class TopicRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  // Where what the other nodes must hear goes (the bus). Set once at start-up; unset, nothing
  // is relayed (one node alone).
  void relay_with(std::function<void(std::string)> publish) { publish_ = std::move(publish); }

  // Adds (or replaces) the connection's channel on `topic`. With presence, the joiner is sent
  // the topic's presence_state at once.
  void join(const std::string& topic, Joiner joiner);
  // Removes it; everyone sees its presence leave.
  void leave(const std::string& topic, std::uint64_t connection);

  // Sends a broadcast of `sender`, a connection here, to the topic's joiners here and elsewhere:
  // all but the sender, or the sender too when it asked for its own. `payload` is the broadcast
  // object {type, event, payload[, meta]}; with `bytes` it went as bytes, and goes on as bytes
  // to 2.0.0 joiners (1.0.0 has no way to carry them).
  void broadcast(const std::string& topic, std::uint64_t sender, const boost::json::object& payload,
                 const std::optional<std::string>& bytes);

  // The connection's presence on `topic` is now `meta` under `key`: every joiner with presence
  // gets one diff (an update is a join of the new meta and a leave of the old one).
  void track(const std::string& topic, std::uint64_t connection, const std::string& key, boost::json::object meta);
  void untrack(const std::string& topic, std::uint64_t connection);

  // What another node relayed, received at `now`.
  void receive(std::string_view relayed, Clock::time_point now);
  // Every refresh: announces this node's presences again, and lets the other nodes' presences
  // that were not announced since `stale_before` leave.
  void refresh(Clock::time_point stale_before);

  [[nodiscard]] std::size_t topic_count() const;

 private:
  struct Presence {
    std::string key;
    boost::json::object meta;  // with its phx_ref
    std::optional<Clock::time_point> heard;  // for another node's: when it last announced it
  };
  struct Topic {
    std::map<std::uint64_t, Joiner> joiners;  // this node's
    std::map<std::uint64_t, Presence> presences;  // by connection, this node's and the others'
  };

  // Frames encoded at most once per serializer for all the joiners they go to.
  struct Encoded {
    std::string topic;
    std::string event;
    boost::json::value payload;
    hub::Frame v1, v2;
    hub::Frame get(Serializer serializer);
  };

  void fan_out(const std::string& name, Topic& topic, std::uint64_t sender, const boost::json::object& payload,
               const std::optional<std::string>& bytes);
  void send_state(const std::string& name, const Topic& topic, const Joiner& joiner);
  void send_diff(Topic& topic, const std::string& name, const boost::json::object& joins, const boost::json::object& leaves);
  // Removes a presence and tells the joiners; returns what to relay of it (nothing for another
  // node's).
  std::optional<RelayedPresence> remove_presence(const std::string& name, Topic& topic, std::uint64_t connection);
  void apply_relayed(const RelayedPresence& presence, Clock::time_point now);
  void forget_if_empty(const std::string& name);
  void publish(std::optional<std::string> relayed);
  static boost::json::object state_of(const Topic& topic);
  static boost::json::object entry(const Presence& presence);
  std::string next_presence_ref();

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Topic> topics_;
  std::uint64_t next_ref_ = 0;
  std::function<void(std::string)> publish_;
};

}  // namespace parley::gateway::realtime
