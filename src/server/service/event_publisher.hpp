#pragma once
// Turns what the services committed into events on the bus: each frame encoded once, shared
// by every connection that receives it.
#include <cstdint>
#include <string_view>

#include "bus/bus.hpp"
#include "domain/message.hpp"
#include "domain/room_summary.hpp"

namespace parley::service {

class EventPublisher {
 public:
  explicit EventPublisher(bus::Bus& bus) : bus_(bus) {}

  // `message` to every member's connections but `skip_connection` (which got the reply).
  void message(const domain::Message& message, std::uint64_t skip_connection);
  // `room.joined` to the user's connections, after their hubs subscribe them to the room.
  void joined(UserId user, const domain::RoomSummary& room, std::uint64_t skip_connection);
  // `room.left` to the user's connections, after their hubs unsubscribe them.
  void left(UserId user, RoomId room, std::string_view reason);
  // `room.updated` to every member's connections.
  void room_updated(const domain::Room& room, std::int64_t member_count);

 private:
  bus::Bus& bus_;
};

}  // namespace parley::service
