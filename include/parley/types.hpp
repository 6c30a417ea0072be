#pragma once
// What an app sees of Parley: plain values, copied out of the client's local store.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <parley/error.hpp>
#include <parley/ids.hpp>

namespace parley {

enum class ConnectionState { offline, connecting, online };

// A message's life on this device: pending (in the outbox on disk), then sent (the server
// committed it: it has a seq), delivered and read (from the other members' receipts), or failed
// (the server refused it for good; retry or discard).
enum class MessageState { pending, sent, delivered, read, failed };

[[nodiscard]] const char* to_string(ConnectionState state);
[[nodiscard]] const char* to_string(MessageState state);

struct User {
  UserId id;
  std::string username;
  std::string display_name;
  bool bot = false;  // an account the app's backend acts as (docs/server-api.md), not a person
};

struct Attachment {
  std::string upload_id;
  std::string name;
  std::string mime_type;
  std::int64_t size = 0;
  std::optional<std::int32_t> width;
  std::optional<std::int32_t> height;
  std::optional<std::int64_t> duration_ms;
};

// The message a reply answers, as it stood when the reply was read: its text cut to 100
// characters, empty when it was deleted.
struct ReplyPreview {
  Seq seq = 0;
  UserId sender_id;
  std::string type;
  std::string text;
  bool deleted = false;
};

// One emoji on a message: how many members put it there, and whether the signed-in user did.
struct Reaction {
  std::string emoji;
  std::int64_t count = 0;
  bool mine = false;
};

// Who reacted with one emoji (Client::reactions), in the order they reacted.
struct ReactionUsers {
  std::string emoji;
  std::vector<UserId> user_ids;
};

// An earlier text of an edited message (Client::versions).
struct MessageVersion {
  std::int64_t version = 0;
  std::string text;
  TimestampMs written_at = 0;
};

// Message types that act on another message (relates_to) instead of being shown on their own.
[[nodiscard]] bool is_event_type(const std::string& type);

struct Message {
  std::string client_msg_id;  // the same before and after the server has it
  RoomId room_id;
  Seq seq = 0;                // 0 while pending or failed
  MessageId id;
  UserId sender_id;
  // text, image, file, audio, video, system; or an event acting on the message at relates_to:
  // edit, deletion, reaction, reaction_removed (see is_event_type).
  std::string type = "text";
  std::string text;
  std::optional<Attachment> attachment;
  std::string system_event;   // for system messages: member_added, room_renamed, ...
  UserId system_target;
  TimestampMs created_at = 0;
  MessageState state = MessageState::sent;
  std::string failure;        // why, when failed
  std::optional<ErrorCode> failure_code;  // the server's code for it, when it gave one
  // For one's own sent messages: how many of the other members have it delivered and read.
  std::int64_t recipients = 0;
  std::int64_t delivered_count = 0;
  std::int64_t read_count = 0;
  // A reply: the seq it answers, and that message as it stands.
  std::optional<Seq> reply_to;
  std::optional<ReplyPreview> reply_preview;
  std::optional<Seq> relates_to;         // an event: the seq of the message it acts on
  std::optional<TimestampMs> edited_at;  // set once edited
  bool deleted = false;                  // deleted for everyone: text empty, no attachment
  std::vector<Reaction> reactions;       // in the order first used
};

struct Room {
  RoomId id;
  std::string kind;  // direct or group
  std::string name;  // empty for direct rooms: show the peer's name
  std::optional<UserId> peer;
  std::string role;  // admin or member
  std::int64_t member_count = 0;
  Seq last_seq = 0;
  Seq read_seq = 0;
  std::int64_t unread_count = 0;
  std::optional<Message> last_message;
};

struct Member {
  UserId user_id;
  std::string username;
  std::string display_name;
  std::string role;
};

struct Presence {
  UserId user_id;
  bool online = false;
  std::string status;  // available, away, busy (invisible only for oneself); empty when offline
  std::optional<TimestampMs> last_seen_at;
};

// messages.search (docs/protocol.md, "Search"): which rooms, how many, and from where.
struct SearchOptions {
  std::optional<RoomId> room;  // unset: every room the user is in
  std::size_t limit = 20;      // 1 to 50
  std::string cursor;          // the next_cursor of the page before; empty: the first page
};

// One word to emphasise in a snippet: in Unicode code points of the snippet, not bytes.
struct SearchHighlight {
  std::size_t start = 0;
  std::size_t length = 0;
};

struct SearchResult {
  RoomId room_id;
  Seq seq = 0;
  UserId sender_id;
  std::string type;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> edited_at;  // when the text found is an edit's
  std::string snippet;  // plain text, never markup
  std::vector<SearchHighlight> highlights;
};

struct SearchResults {
  std::vector<SearchResult> results;  // best first
  std::string next_cursor;  // pass as SearchOptions::cursor for the next page; empty: no more
};

}  // namespace parley
