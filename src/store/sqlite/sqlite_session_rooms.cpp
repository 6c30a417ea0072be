// Rooms, members and their watermarks.
#include <string>
#include <utility>

#include "store/message_sql.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

[[nodiscard]] Result<domain::Room> room_row(const Statement& row) { return read_room(row, 0); }
[[nodiscard]] Result<domain::Member> member_row(const Statement& row) { return read_member(row, 0); }

const std::string& select_rooms() {
  static const std::string sql = "SELECT " + room_columns() + " FROM rooms ";
  return sql;
}

const std::string& select_members() {
  static const std::string sql = "SELECT " + member_columns() + " FROM members ";
  return sql;
}

// The room, and the user's membership beside it when there is one.
const std::string& select_room_with_member() {
  static const std::string sql = "SELECT " + room_columns("r") + ", " + member_columns("m") +
                                 " FROM rooms r LEFT JOIN members m ON m.room_id = r.id AND m.user_id = ?2"
                                 " WHERE r.id = ?1";
  return sql;
}

// Each watermark moves to the larger of its stored value and the requested one, the request
// first clamped to the room's last_seq (nobody receives or reads a message that does not
// exist yet). Delivered also takes the new read, since reading implies receiving. The read
// position is shared with the other members when the user's read receipts go to everyone, and
// kept as it was while they are private. own_unread loses the member's own messages that the
// read passed (010_unread_ranks.sql): only the newly read range is looked at. SET expressions
// all see the row as it was, hence read's formula repeated inside the others.
const std::string& advance_watermarks_sql() {
  static const std::string sql =
      "UPDATE members SET"
      " read_seq = MAX(read_seq, MIN(?4, (SELECT last_seq FROM rooms WHERE id = ?1))),"
      " delivered_seq = MAX(delivered_seq, read_seq, MIN(MAX(?3, ?4), (SELECT last_seq FROM rooms WHERE id = ?1))),"
      " shared_read_seq = CASE WHEN (SELECT read_receipts FROM users WHERE id = ?2) = 'everyone'"
      "   THEN MAX(read_seq, MIN(?4, (SELECT last_seq FROM rooms WHERE id = ?1))) ELSE shared_read_seq END,"
      " own_unread = own_unread - (SELECT COUNT(*) FROM messages x WHERE x.room_id = ?1 AND x.sender_id = ?2"
      "   AND " + counted_message_condition("x") + " AND x.seq > members.read_seq"
      "   AND x.seq <= MIN(?4, (SELECT last_seq FROM rooms WHERE id = ?1)))"
      " WHERE room_id = ?1 AND user_id = ?2 RETURNING " +
      member_columns();
  return sql;
}

}  // namespace

Result<domain::Room> SqliteSession::insert_room(const domain::Room& room,
                                                const std::optional<std::string>& direct_key) {
  if ((room.kind == domain::RoomKind::direct) != direct_key.has_value())
    return fail(ErrorCode::internal, "a direct room needs a direct_key, and a group must have none");
  PARLEY_TRY(insert,
             connection_->prepare(
                 "INSERT INTO rooms (kind, name, direct_key, last_seq, created_by, created_at, last_activity_at)"
                 " VALUES (?1, ?2, ?3, 0, ?4, ?5, ?5)"));
  insert.bind_all(domain::to_string(room.kind), room.name, direct_key, room.created_by, room.created_at_ms);
  if (auto done = insert.run(); !done) {
    if (done.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "a direct room with the key " + direct_key.value_or("") + " exists");
    return std::unexpected(std::move(done.error()));
  }
  domain::Room stored = room;
  stored.id = RoomId(connection_->last_insert_rowid());
  stored.last_seq = 0;
  return stored;
}

Result<std::optional<domain::Room>> SqliteSession::find_direct_room(const std::string& direct_key) {
  PARLEY_TRY(query, connection_->prepare(select_rooms() + "WHERE direct_key = ?1"));
  query.bind_all(direct_key);
  return fetch_optional(query, room_row);
}

Result<void> SqliteSession::rename_room(RoomId id, const std::string& name) {
  PARLEY_TRY(update, connection_->prepare("UPDATE rooms SET name = ?2 WHERE id = ?1"));
  update.bind_all(id, name);
  return change_one_row(update, "room");
}

Result<void> SqliteSession::insert_member(const domain::Member& member) {
  PARLEY_TRY(insert,
             connection_->prepare("INSERT INTO members (room_id, user_id, role, joined_at, delivered_seq, read_seq,"
                                  " shared_read_seq, own_unread) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                  " (SELECT COUNT(*) FROM messages x WHERE x.room_id = ?1 AND x.sender_id = ?2"
                                  "  AND " + counted_message_condition("x") + " AND x.seq > ?6))"));
  insert.bind_all(member.room_id, member.user_id, domain::to_string(member.role), member.joined_at_ms,
                  member.delivered_seq, member.read_seq, member.shared_read_seq);
  if (auto done = insert.run(); !done) {
    if (done.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "user " + std::to_string(member.user_id.value) +
                                           " is already a member of room " + std::to_string(member.room_id.value));
    return std::unexpected(std::move(done.error()));
  }
  return {};
}

Result<void> SqliteSession::delete_member(RoomId room, UserId user) {
  PARLEY_TRY(remove, connection_->prepare("DELETE FROM members WHERE room_id = ?1 AND user_id = ?2"));
  remove.bind_all(room, user);
  return change_one_row(remove, "member");
}

Result<void> SqliteSession::update_member_role(RoomId room, UserId user, domain::Role role) {
  PARLEY_TRY(update, connection_->prepare("UPDATE members SET role = ?3 WHERE room_id = ?1 AND user_id = ?2"));
  update.bind_all(room, user, domain::to_string(role));
  return change_one_row(update, "member");
}

Result<std::optional<domain::Member>> SqliteSession::find_member(RoomId room, UserId user) {
  PARLEY_TRY(query, connection_->prepare(select_members() + "WHERE room_id = ?1 AND user_id = ?2"));
  query.bind_all(room, user);
  return fetch_optional(query, member_row);
}

Result<std::optional<domain::RoomWithMember>> SqliteSession::find_room_with_member(RoomId room, UserId user) {
  PARLEY_TRY(query, connection_->prepare(select_room_with_member()));
  query.bind_all(room, user);
  return fetch_optional(query, [](const Statement& row) { return read_room_with_member(row, 0); });
}

Result<std::vector<domain::Member>> SqliteSession::list_members(RoomId room) {
  PARLEY_TRY(query, connection_->prepare(select_members() + "WHERE room_id = ?1 ORDER BY joined_at, user_id"));
  query.bind_all(room);
  return fetch_all(query, member_row);
}

Result<std::int64_t> SqliteSession::count_admins(RoomId room) {
  PARLEY_TRY(query, connection_->prepare("SELECT COUNT(*) FROM members WHERE room_id = ?1 AND role = 'admin'"));
  query.bind_all(room);
  return fetch_int64(query);
}

Result<std::vector<RoomId>> SqliteSession::list_room_ids_for_user(UserId user) {
  PARLEY_TRY(query, connection_->prepare("SELECT room_id FROM members WHERE user_id = ?1 ORDER BY room_id"));
  query.bind_all(user);
  return fetch_all(query, [](const Statement& row) -> Result<RoomId> { return RoomId(row.int64(0)); });
}

namespace {
Result<domain::RoomHead> room_head_row(const Statement& row) {
  return domain::RoomHead{RoomId(row.int64(0)), row.int64(1)};
}
}  // namespace

Result<std::vector<domain::RoomHead>> SqliteSession::list_room_heads_for_user(UserId user) {
  PARLEY_TRY(query, connection_->prepare("SELECT r.id, r.last_seq FROM members m JOIN rooms r ON r.id = m.room_id"
                                         " WHERE m.user_id = ?1 ORDER BY r.id"));
  query.bind_all(user);
  return fetch_all(query, room_head_row);
}

Result<std::vector<domain::RoomHead>> SqliteSession::list_room_heads(std::span<const RoomId> rooms) {
  if (rooms.empty()) return std::vector<domain::RoomHead>();
  PARLEY_TRY(query, connection_->prepare("SELECT id, last_seq FROM rooms WHERE id IN (SELECT value FROM json_each(?1))"
                                         " ORDER BY id"));
  query.bind_all(id_list(rooms, '[', ']'));
  return fetch_all(query, room_head_row);
}

Result<domain::Member> SqliteSession::advance_watermarks(RoomId room, UserId user, Seq delivered, Seq read) {
  PARLEY_TRY(update, connection_->prepare(advance_watermarks_sql()));
  update.bind_all(room, user, delivered, read);
  PARLEY_TRY(member, fetch_optional(update, member_row));
  if (!member)
    return fail(ErrorCode::not_found,
                "user " + std::to_string(user.value) + " is not a member of room " + std::to_string(room.value));
  return std::move(*member);
}

}  // namespace parley::store::sqlite
