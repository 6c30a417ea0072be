#pragma once
// What nodes tell each other about their users' connections, on the presence subject.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/nats/node_directory.hpp"

namespace parley::bus {

struct PresenceMessage {
  enum class Kind : std::uint8_t { heartbeat = 1, online = 2, offline = 3, leaving = 4 };
  Kind kind = Kind::heartbeat;
  NodeId node = 0;
  std::vector<UserId> users;  // heartbeat: all of the node's users; online/offline: the one user
};

[[nodiscard]] std::string encode_presence(const PresenceMessage& message);
[[nodiscard]] std::optional<PresenceMessage> decode_presence(std::string_view bytes);

}  // namespace parley::bus
