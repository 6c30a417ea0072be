#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <parley/types.hpp>

#include "core/ids.hpp"

namespace parley::domain {

// What people write (text, image, file, audio, video), what the server records (system), and
// the events that act on an earlier message of the room, named by `relates_to`: an edit of its
// text, its deletion for everyone, a reaction added or removed. Events take a seq like every
// message, so order, idempotency, sync and delivery treat them alike; they are never unread,
// never pushed, and never move a message's status.
enum class MessageType { text, image, file, audio, video, system, edit, deletion, reaction, reaction_removed };

[[nodiscard]] std::string_view to_string(MessageType type);
[[nodiscard]] std::optional<MessageType> message_type_from(std::string_view text);
[[nodiscard]] bool carries_attachment(MessageType type);
// What a person wrote: text, image, file, audio or video. Only these count as unread, are
// pushed, found by search, and may be replied to, edited, deleted or reacted to.
[[nodiscard]] bool is_content(MessageType type);
// An edit, deletion, reaction or reaction removal: names the message it acts on.
[[nodiscard]] bool is_event(MessageType type);

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

// What a reply shows of the message it answers, as that message stands now: it follows the
// original's edits, and its deletion empties it.
struct ReplyPreview {
  Seq seq = 0;
  UserId sender_id;
  MessageType type = MessageType::text;
  std::string text;  // the start of the text or caption, at most limits::kReplyPreviewChars
  bool deleted = false;
};

// One emoji's reactions to a message, as one reader sees them.
struct ReactionCount {
  std::string emoji;
  std::int64_t count = 0;
  bool mine = false;  // the reader is among those who reacted with it
};

// One member's reaction to a message: who reacted is one request away (messages.reactions).
struct Reaction {
  std::string emoji;
  UserId user;
  TimestampMs created_at_ms = 0;
};

// An earlier text of an edited message: version 1 is what was first sent.
struct MessageVersion {
  std::int64_t version = 0;
  std::string text;
  TimestampMs written_at_ms = 0;
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
  std::optional<Seq> reply_to;    // the message this one answers
  std::optional<Seq> relates_to;  // for an event: the message it acts on
  std::optional<TimestampMs> edited_at_ms;
  std::optional<TimestampMs> deleted_at_ms;  // deleted for everyone: no text, no attachment
  // Filled in when read for someone, never stored with the row: the replied-to message as it
  // stands, and the reactions counted per emoji in the order first used.
  std::optional<ReplyPreview> reply_preview;
  std::vector<ReactionCount> reactions;
};

}  // namespace parley::domain
