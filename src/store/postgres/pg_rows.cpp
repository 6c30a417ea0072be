#include "store/postgres/pg_rows.hpp"

#include <array>

namespace parley::store::postgres {
namespace {

// The order here is the order the readers below read.
constexpr std::array<std::string_view, kUserColumnCount> kUserColumns{"id", "username", "display_name", "created_at"};
constexpr std::array<std::string_view, kRoomColumnCount> kRoomColumns{"id",       "kind",       "name",
                                                                      "last_seq", "created_by", "created_at"};
constexpr std::array<std::string_view, kMemberColumnCount> kMemberColumns{"room_id",   "user_id",       "role",
                                                                          "joined_at", "delivered_seq", "read_seq"};
constexpr std::array<std::string_view, kMessageColumnCount> kMessageColumns{
    "id",         "room_id",         "seq",       "sender_id",  "client_msg_id", "type",
    "text",       "att_upload_id",   "att_name",  "att_mime",   "att_size",      "att_width",
    "att_height", "att_duration_ms", "sys_event", "sys_target", "created_at"};

template <std::size_t N>
std::string qualified(const std::array<std::string_view, N>& columns, std::string_view alias) {
  std::string list;
  for (std::string_view column : columns) {
    if (!list.empty()) list += ", ";
    if (!alias.empty()) {
      list += alias;
      list += '.';
    }
    list += column;
  }
  return list;
}

Error corrupt(std::string_view what, const std::string& stored) {
  return Error{ErrorCode::internal, "the store holds an unknown " + std::string(what) + " '" + stored + "'"};
}

}  // namespace

std::string user_columns(std::string_view alias) { return qualified(kUserColumns, alias); }
std::string room_columns(std::string_view alias) { return qualified(kRoomColumns, alias); }
std::string member_columns(std::string_view alias) { return qualified(kMemberColumns, alias); }
std::string message_columns(std::string_view alias) { return qualified(kMessageColumns, alias); }

domain::User read_user(const Row& row, int c) {
  return domain::User{
      .id = UserId(row.int64(c)),
      .username = row.text(c + 1),
      .display_name = row.text(c + 2),
      .created_at_ms = row.int64(c + 3),
  };
}

Result<domain::Room> read_room(const Row& row, int c) {
  std::string kind_name = row.text(c + 1);
  auto kind = domain::room_kind_from(kind_name);
  if (!kind) return std::unexpected(corrupt("room kind", kind_name));
  return domain::Room{
      .id = RoomId(row.int64(c)),
      .kind = *kind,
      .name = row.text(c + 2),
      .last_seq = row.int64(c + 3),
      .created_by = UserId(row.int64(c + 4)),
      .created_at_ms = row.int64(c + 5),
  };
}

Result<domain::Member> read_member(const Row& row, int c) {
  std::string role_name = row.text(c + 2);
  auto role = domain::role_from(role_name);
  if (!role) return std::unexpected(corrupt("role", role_name));
  return domain::Member{
      .room_id = RoomId(row.int64(c)),
      .user_id = UserId(row.int64(c + 1)),
      .role = *role,
      .joined_at_ms = row.int64(c + 3),
      .delivered_seq = row.int64(c + 4),
      .read_seq = row.int64(c + 5),
  };
}

Result<domain::Message> read_message(const Row& row, int c) {
  std::string type_name = row.text(c + 5);
  auto type = domain::message_type_from(type_name);
  if (!type) return std::unexpected(corrupt("message type", type_name));
  domain::Message message{
      .id = MessageId(row.int64(c)),
      .room_id = RoomId(row.int64(c + 1)),
      .seq = row.int64(c + 2),
      .sender_id = UserId(row.int64(c + 3)),
      .client_msg_id = row.text(c + 4),
      .type = *type,
      .text = row.text(c + 6),
      .created_at_ms = row.int64(c + 16),
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
        .size_bytes = row.int64(c + 10),
        .width = narrow(row.optional_int64(c + 11)),
        .height = narrow(row.optional_int64(c + 12)),
        .duration_ms = row.optional_int64(c + 13),
    };
  }
  if (auto event_name = row.optional_text(c + 14)) {
    auto event = domain::system_event_from(*event_name);
    if (!event) return std::unexpected(corrupt("system event", *event_name));
    message.system = domain::SystemInfo{.event = *event, .target = UserId(row.optional_int64(c + 15).value_or(0))};
  }
  return message;
}

}  // namespace parley::store::postgres
