#pragma once
// What a node's Realtime topics tell the other nodes of a cluster (service/realtime_relay.hpp):
// a broadcast, or presences. JSON; a broadcast's bytes in base64.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace parley::gateway::realtime {

struct RelayedBroadcast {
  std::string topic;
  boost::json::object payload;  // {type, event, payload[, meta]}
  std::optional<std::string> bytes;
};

// One connection's presence on a topic, as its node last knew it: `meta` (with its phx_ref)
// under `key`, or none when it left. A node tells each change, and every so often all of its
// presences again, so that the others drop those of a node that stopped.
struct RelayedPresence {
  std::string topic;
  std::uint64_t connection = 0;
  std::string key;
  std::optional<boost::json::object> meta;
};

using Relayed = std::variant<RelayedBroadcast, std::vector<RelayedPresence>>;

std::string encode_relayed(const RelayedBroadcast& broadcast);
std::string encode_relayed(const std::vector<RelayedPresence>& presences);
// nullopt for bytes that are not one (a node of another build, or corruption): dropped.
std::optional<Relayed> decode_relayed(std::string_view relayed);

}  // namespace parley::gateway::realtime
