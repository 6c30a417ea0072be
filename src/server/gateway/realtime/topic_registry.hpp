#pragma once
// Who has joined which Realtime topic on this node, for what travels between joiners without
// touching the store: broadcasts and Phoenix Presence (docs/supabase.md).
//
// A joiner is a connection's channel. Frames go to its connection through hub::Subscriber::
// deliver, which queues and never blocks, so fan-out happens under the registry's lock: a
// topic's presence_state and the diffs after it reach each joiner in the order they happened,
// which realtime-js relies on (it holds diffs back until it has the state).
//
// Memory is bounded by the channels a connection may join (--realtime-channels) and by the
// payload limit on each presence meta.
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/gateway/realtime/phoenix_message.hpp"
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
  // Adds (or replaces) the connection's channel on `topic`. With presence, the joiner is sent
  // the topic's presence_state at once.
  void join(const std::string& topic, Joiner joiner);
  // Removes it; the others see its presence leave.
  void leave(const std::string& topic, std::uint64_t connection);

  // Sends a broadcast to the topic's joiners: all but the sender, or the sender too when it asked
  // for its own. `payload` is the broadcast object {type, event, payload[, meta]}; with `bytes`
  // it went as bytes, and goes on as bytes to 2.0.0 joiners (1.0.0 has no way to carry them).
  void broadcast(const std::string& topic, std::uint64_t sender, const boost::json::object& payload,
                 const std::optional<std::string>& bytes);

  // The connection's presence on `topic` is now `meta` under `key`: every joiner with presence
  // gets one diff (an update is a join of the new meta and a leave of the old one).
  void track(const std::string& topic, std::uint64_t connection, const std::string& key, boost::json::object meta);
  void untrack(const std::string& topic, std::uint64_t connection);

  [[nodiscard]] std::size_t topic_count() const;

 private:
  struct Presence {
    std::string key;
    boost::json::object meta;  // with its phx_ref
  };
  struct Topic {
    std::map<std::uint64_t, Joiner> joiners;
    std::map<std::uint64_t, Presence> presences;
  };

  // Frames encoded at most once per serializer for all the joiners they go to.
  struct Encoded {
    std::string topic;
    std::string event;
    boost::json::value payload;
    hub::Frame v1, v2;
    hub::Frame get(Serializer serializer);
  };

  void send_diff(Topic& topic, const std::string& name, const boost::json::object& joins, const boost::json::object& leaves);
  static boost::json::object state_of(const Topic& topic);
  static boost::json::object entry(const Presence& presence);
  std::string next_presence_ref();

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Topic> topics_;
  std::uint64_t next_ref_ = 0;
};

}  // namespace parley::gateway::realtime
