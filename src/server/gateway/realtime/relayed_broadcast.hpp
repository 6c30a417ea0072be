#pragma once
// A Realtime broadcast as it travels between nodes (service/realtime_relay.hpp): the topic, the
// broadcast object and, for a payload of bytes, the bytes. JSON, with the bytes in base64.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace parley::gateway::realtime {

struct RelayedBroadcast {
  std::string topic;
  boost::json::object payload;  // {type, event, payload[, meta]}
  std::optional<std::string> bytes;
};

std::string encode_relayed(const RelayedBroadcast& broadcast);
// nullopt for bytes that are not one (a node of another build, or corruption): dropped.
std::optional<RelayedBroadcast> decode_relayed(std::string_view relayed);

}  // namespace parley::gateway::realtime
