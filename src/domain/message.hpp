#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <parley/types.hpp>

#include "core/ids.hpp"

namespace parley::domain {

enum class MessageType { text, image, file, audio, video, system };

[[nodiscard]] std::string_view to_string(MessageType type);
[[nodiscard]] std::optional<MessageType> message_type_from(std::string_view text);
[[nodiscard]] bool carries_attachment(MessageType type);

// A reference to a file a message carries (image, file, audio, video). The bytes live
// elsewhere; the message keeps what a client needs to show it before fetching them. One type
// for the server and the client SDK (include/parley/types.hpp): a field added there is added
// to both.
using Attachment = parley::Attachment;

// What a system message records, so that clients can render it in their own words.
enum class SystemEvent { room_created, member_added, member_removed, member_left, role_changed, room_renamed };

[[nodiscard]] std::string_view to_string(SystemEvent event);
[[nodiscard]] std::optional<SystemEvent> system_event_from(std::string_view text);

struct SystemInfo {
  SystemEvent event = SystemEvent::room_created;
  UserId target;  // the member added, removed or whose role changed; unset otherwise
};

struct Message {
  MessageId id;
  RoomId room_id;
  Seq seq = 0;
  UserId sender_id;            // for system messages: the user whose action caused it
  std::string client_msg_id;   // sender-chosen idempotency key; empty for system messages
  MessageType type = MessageType::text;
  std::string text;            // the body for text; the caption otherwise; a summary for system
  std::optional<Attachment> attachment;
  std::optional<SystemInfo> system;
  TimestampMs created_at_ms = 0;
};

}  // namespace parley::domain
