#pragma once
// An Event as it crosses NATS from one node to the others.
#include <optional>
#include <string>
#include <string_view>

#include "bus/bus.hpp"

namespace parley::bus {

[[nodiscard]] std::string encode_event(const Event& event);
// nullopt when the bytes are not an event of this version. skip_connection names a connection
// of the node that published, so it never survives the trip: decoded events have it at 0.
[[nodiscard]] std::optional<Event> decode_event(std::string_view bytes);

}  // namespace parley::bus
