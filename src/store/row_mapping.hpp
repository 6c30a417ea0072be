#pragma once
// Rows to domain values, for every backend. Each reader takes a row (any type with int64,
// optional_int64, text, optional_text and is_null by column index) and the index of its first
// column, so that one query can select a room, a member and a message side by side; the
// *_columns functions give the matching SELECT lists, so the column order is written in one
// place for all backends.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/message.hpp"
#include "domain/push.hpp"
#include "domain/room.hpp"
#include "domain/upload.hpp"
#include "domain/user.hpp"
#include "domain/user_settings.hpp"
#include "store/store.hpp"

namespace parley::store {

inline constexpr int kUserColumnCount = 6;
inline constexpr int kRoomColumnCount = 6;
inline constexpr int kMemberColumnCount = 8;
inline constexpr int kMessageColumnCount = 21;
inline constexpr int kUploadColumnCount = 11;

// Ids as one bound parameter, so that a statement takes any number of them: "[1,2,3]" for
// SQLite's json_each, "{1,2,3}" for PostgreSQL's ANY($n::bigint[]).
template <class Tag>
[[nodiscard]] std::string id_list(std::span<const Id<Tag>> ids, char open, char close) {
  std::string list(1, open);
  for (const auto& id : ids) {
    if (list.size() > 1) list += ',';
    list += std::to_string(id.value);
  }
  list += close;
  return list;
}

// "a.col1, a.col2, ..." for the table aliased `alias` (empty: unqualified).
[[nodiscard]] std::string user_columns(std::string_view alias = {});
[[nodiscard]] std::string room_columns(std::string_view alias = {});
[[nodiscard]] std::string member_columns(std::string_view alias = {});
[[nodiscard]] std::string message_columns(std::string_view alias = {});
[[nodiscard]] std::string upload_columns(std::string_view alias = {});

// A stored name the domain does not know: a corrupt row.
[[nodiscard]] Error corrupt_row(std::string_view what, const std::string& stored);
// What a failed insert_user answers: a unique index on the external id or on the username was
// hit (both backends name the index or column in their message), or the store's own error.
[[nodiscard]] Error insert_user_error(Error store_error, const std::string& username, const std::string& external_id);

// The readers fail (internal) only on such a row.
template <class Row>
domain::User read_user(const Row& row, int c) {
  return domain::User{
      .id = UserId(row.int64(c)),
      .username = row.text(c + 1),
      .display_name = row.text(c + 2),
      .created_at_ms = row.int64(c + 3),
      .bot = row.int64(c + 4) != 0,
      .external_id = row.optional_text(c + 5).value_or(""),
  };
}

// The columns of api_keys, for read_api_key.
inline constexpr std::string_view kApiKeyColumns = "id, name, created_at, last_used_at, revoked_at";

template <class Row>
ApiKey read_api_key(const Row& row, int c) {
  return ApiKey{
      .id = row.int64(c),
      .name = row.text(c + 1),
      .created_at_ms = row.int64(c + 2),
      .last_used_at_ms = row.optional_int64(c + 3),
      .revoked_at_ms = row.optional_int64(c + 4),
  };
}

// The settings columns of users, for read_user_settings.
inline constexpr std::string_view kUserSettingsColumns = "read_receipts, push_text";

template <class Row>
Result<domain::UserSettings> read_user_settings(const Row& row, int c) {
  std::string read_receipts_name = row.text(c);
  auto read_receipts = domain::read_receipts_from(read_receipts_name);
  if (!read_receipts) return std::unexpected(corrupt_row("read_receipts", read_receipts_name));
  std::string push_text_name = row.text(c + 1);
  auto push_text = domain::push_text_from(push_text_name);
  if (!push_text) return std::unexpected(corrupt_row("push_text", push_text_name));
  return domain::UserSettings{.read_receipts = *read_receipts, .push_text = *push_text};
}

// The columns of push_targets, for read_push_target.
inline constexpr std::string_view kPushTargetColumns =
    "id, user_id, kind, app_id, pushkey, url, p256dh, auth, created_at, updated_at";

template <class Row>
Result<domain::PushTarget> read_push_target(const Row& row, int c) {
  std::string kind_name = row.text(c + 2);
  auto kind = domain::push_kind_from(kind_name);
  if (!kind) return std::unexpected(corrupt_row("push target kind", kind_name));
  return domain::PushTarget{
      .id = row.int64(c),
      .user_id = UserId(row.int64(c + 1)),
      .kind = *kind,
      .app_id = row.text(c + 3),
      .pushkey = row.text(c + 4),
      .url = row.text(c + 5),
      .p256dh = row.text(c + 6),
      .auth = row.text(c + 7),
      .created_at_ms = row.int64(c + 8),
      .updated_at_ms = row.int64(c + 9),
  };
}

// list_push_recipients' query, with $ROOM for the room's placeholder; the unread count as the
// rooms list reads it (the unread_ranks migration).
inline constexpr std::string_view kPushRecipientsSql =
    "SELECT m.user_id, u.push_text, r.counted - m.own_unread - COALESCE((SELECT x.unread_rank FROM messages x"
    "   WHERE x.room_id = m.room_id AND x.seq = m.read_seq), 0)"
    " FROM members m JOIN rooms r ON r.id = m.room_id JOIN users u ON u.id = m.user_id"
    " WHERE m.room_id = $ROOM AND m.muted = 0 AND EXISTS (SELECT 1 FROM push_targets t WHERE t.user_id = m.user_id)"
    " ORDER BY m.user_id";

template <class Row>
Result<domain::PushRecipient> read_push_recipient(const Row& row, int c) {
  std::string push_text_name = row.text(c + 1);
  auto push_text = domain::push_text_from(push_text_name);
  if (!push_text) return std::unexpected(corrupt_row("push_text", push_text_name));
  return domain::PushRecipient{.user_id = UserId(row.int64(c)), .push_text = *push_text, .unread_count = row.int64(c + 2)};
}

template <class Row>
Result<domain::Room> read_room(const Row& row, int c) {
  std::string kind_name = row.text(c + 1);
  auto kind = domain::room_kind_from(kind_name);
  if (!kind) return std::unexpected(corrupt_row("room kind", kind_name));
  return domain::Room{
      .id = RoomId(row.int64(c)),
      .kind = *kind,
      .name = row.text(c + 2),
      .last_seq = row.int64(c + 3),
      .created_by = UserId(row.int64(c + 4)),
      .created_at_ms = row.int64(c + 5),
  };
}

template <class Row>
Result<domain::Member> read_member(const Row& row, int c) {
  std::string role_name = row.text(c + 2);
  auto role = domain::role_from(role_name);
  if (!role) return std::unexpected(corrupt_row("role", role_name));
  return domain::Member{
      .room_id = RoomId(row.int64(c)),
      .user_id = UserId(row.int64(c + 1)),
      .role = *role,
      .joined_at_ms = row.int64(c + 3),
      .delivered_seq = row.int64(c + 4),
      .read_seq = row.int64(c + 5),
      .shared_read_seq = row.int64(c + 6),
      .muted = row.int64(c + 7) != 0,
  };
}

// room_columns then member_columns, the member's NULL when the user is not in the room (a
// LEFT JOIN).
template <class Row>
Result<domain::RoomWithMember> read_room_with_member(const Row& row, int c) {
  PARLEY_TRY(room, read_room(row, c));
  domain::RoomWithMember found{.room = std::move(room), .member = std::nullopt};
  if (!row.is_null(c + kRoomColumnCount)) {
    PARLEY_TRY(member, read_member(row, c + kRoomColumnCount));
    found.member = std::move(member);
  }
  return found;
}

template <class Row>
Result<domain::Message> read_message(const Row& row, int c) {
  std::string type_name = row.text(c + 5);
  auto type = domain::message_type_from(type_name);
  if (!type) return std::unexpected(corrupt_row("message type", type_name));
  domain::Message message{
      .id = MessageId(row.int64(c)),
      .room_id = RoomId(row.int64(c + 1)),
      .seq = row.int64(c + 2),
      .sender_id = UserId(row.int64(c + 3)),
      .client_msg_id = row.text(c + 4),
      .type = *type,
      .text = row.text(c + 6),
      .created_at_ms = row.int64(c + 16),
      .reply_to = row.optional_int64(c + 17),
      .relates_to = row.optional_int64(c + 18),
      .edited_at_ms = row.optional_int64(c + 19),
      .deleted_at_ms = row.optional_int64(c + 20),
  };
  // The schema keeps upload_id, name, mime and size all set or all NULL.
  if (!row.is_null(c + 8)) {
    auto narrow = [](std::optional<std::int64_t> v) -> std::optional<std::int32_t> {
      if (!v) return std::nullopt;
      return static_cast<std::int32_t>(*v);
    };
    message.attachment = domain::Attachment{
        .upload_id = row.text(c + 7),
        .name = row.text(c + 8),
        .mime_type = row.text(c + 9),
        .size = row.int64(c + 10),
        .width = narrow(row.optional_int64(c + 11)),
        .height = narrow(row.optional_int64(c + 12)),
        .duration_ms = row.optional_int64(c + 13),
    };
  }
  if (auto event_name = row.optional_text(c + 14)) {
    auto event = domain::system_event_from(*event_name);
    if (!event) return std::unexpected(corrupt_row("system event", *event_name));
    message.system = domain::SystemInfo{.event = *event, .target = UserId(row.optional_int64(c + 15).value_or(0))};
  }
  return message;
}

template <class Row>
domain::Upload read_upload(const Row& row, int c) {
  auto narrow = [](std::optional<std::int64_t> v) -> std::optional<std::int32_t> {
    if (!v) return std::nullopt;
    return static_cast<std::int32_t>(*v);
  };
  return domain::Upload{
      .id = row.text(c),
      .owner = UserId(row.int64(c + 1)),
      .sha256 = row.text(c + 2),
      .size_bytes = row.int64(c + 3),
      .mime_type = row.text(c + 4),
      .name = row.text(c + 5),
      .width = narrow(row.optional_int64(c + 6)),
      .height = narrow(row.optional_int64(c + 7)),
      .duration_ms = row.optional_int64(c + 8),
      .created_at_ms = row.int64(c + 9),
      .referenced_at_ms = row.optional_int64(c + 10),
  };
}

}  // namespace parley::store
