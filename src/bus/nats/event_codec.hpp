#pragma once
// An Event as it crosses NATS from one node to the others.
//
// The layout has a version. A node reads its own version and the one before it, and publishes
// the version it is told to (--cluster-wire-version), so that a rolling upgrade never has an
// old node drop a new node's events: first every node is upgraded while still publishing the
// old version, then every node is switched to the new one (docs/operations.md).
//   1: audience, target, skip_user, rooms, membership, frame.
//   2: as 1, and the membership's since_seq, the message's seq and author, the ended login.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bus/bus.hpp"

namespace parley::bus {

inline constexpr std::uint8_t kWireVersion = 2;
inline constexpr std::uint8_t kOldestWireVersion = 1;

[[nodiscard]] std::string encode_event(const Event& event, std::uint8_t version = kWireVersion);
// nullopt when the bytes are not an event of a version this node reads. skip_connection names
// a connection of the node that published, so it never survives the trip: decoded events have
// it at 0. An event of version 1 carries no seq: it is delivered as it comes, unsequenced.
[[nodiscard]] std::optional<Event> decode_event(std::string_view bytes);

}  // namespace parley::bus
