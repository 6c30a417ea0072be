#pragma once
#include <cstdint>
#include <optional>

#include "domain/message.hpp"
#include "domain/message_status.hpp"
#include "domain/room.hpp"

namespace parley::domain {

// One line of a user's rooms list.
struct RoomSummary {
  Room room;
  Member me;                              // the caller's membership: role and watermarks
  std::int64_t member_count = 0;
  std::optional<UserId> peer;             // for direct rooms: the other member
  std::optional<Message> last_message;
  std::optional<MessageStatus> last_message_status;  // set when the caller sent the last message
  std::int64_t unread_count = 0;          // messages from others after my read watermark
};

}  // namespace parley::domain
