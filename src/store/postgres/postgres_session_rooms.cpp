// Rooms, members and their watermarks.
#include <string>
#include <utility>

#include "store/message_sql.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

[[nodiscard]] Result<domain::Room> room_row(const Row& row) { return read_room(row, 0); }
[[nodiscard]] Result<domain::Member> member_row(const Row& row) { return read_member(row, 0); }

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
                                 " FROM rooms r LEFT JOIN members m ON m.room_id = r.id AND m.user_id = $2"
                                 " WHERE r.id = $1";
  return sql;
}

// Each watermark moves to the larger of its stored value and the requested one, the request
// first clamped to the room's last_seq (nobody receives or reads a message that does not
// exist yet). Delivered also takes the new read, since reading implies receiving. The read
// position is shared with the other members when the user's read receipts go to everyone, and
// kept as it was while they are private. own_unread loses the member's own messages that the
// read passed (009_unread_ranks.sql): only the newly read range is looked at. SET expressions
// all see the row as it was, hence read's formula repeated inside the others.
const std::string& advance_watermarks_sql() {
  static const std::string sql =
      "UPDATE members SET"
      " read_seq = GREATEST(read_seq, LEAST($4::bigint, (SELECT last_seq FROM rooms WHERE id = $1))),"
      " delivered_seq = GREATEST(delivered_seq, read_seq,"
      "   LEAST(GREATEST($3::bigint, $4::bigint), (SELECT last_seq FROM rooms WHERE id = $1))),"
      " shared_read_seq = CASE WHEN (SELECT read_receipts FROM users WHERE id = $2) = 'everyone'"
      "   THEN GREATEST(read_seq, LEAST($4::bigint, (SELECT last_seq FROM rooms WHERE id = $1)))"
      "   ELSE shared_read_seq END,"
      " own_unread = own_unread - (SELECT COUNT(*) FROM messages x WHERE x.room_id = $1 AND x.sender_id = $2"
      "   AND " + counted_message_condition("x") + " AND x.seq > members.read_seq"
      "   AND x.seq <= LEAST($4::bigint, (SELECT last_seq FROM rooms WHERE id = $1)))"
      " WHERE room_id = $1 AND user_id = $2 RETURNING " +
      member_columns();
  return sql;
}

}  // namespace

Result<domain::Room> PostgresSession::insert_room(const domain::Room& room,
                                                  const std::optional<std::string>& direct_key) {
  if ((room.kind == domain::RoomKind::direct) != direct_key.has_value())
    return fail(ErrorCode::internal, "a direct room needs a direct_key, and a group must have none");
  auto inserted = connection_->query(
      "INSERT INTO rooms (kind, name, direct_key, last_seq, created_by, created_at, last_activity_at)"
      " VALUES ($1, $2, $3, 0, $4, $5, $5) RETURNING id",
      Params(domain::to_string(room.kind), room.name, direct_key, room.created_by, room.created_at_ms));
  if (!inserted) {
    if (inserted.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "a direct room with the key " + direct_key.value_or("") + " exists");
    return std::unexpected(std::move(inserted.error()));
  }
  domain::Room stored = room;
  stored.id = RoomId(inserted->int64(0, 0));
  stored.last_seq = 0;
  return stored;
}

Result<std::optional<domain::Room>> PostgresSession::find_direct_room(const std::string& direct_key) {
  PARLEY_TRY(rows, connection_->query(select_rooms() + "WHERE direct_key = $1", Params(direct_key)));
  return fetch_optional(rows, room_row);
}

Result<void> PostgresSession::rename_room(RoomId id, const std::string& name) {
  return change_one_row("UPDATE rooms SET name = $2 WHERE id = $1", Params(id, name), "room");
}

Result<void> PostgresSession::insert_member(const domain::Member& member) {
  auto inserted =
      connection_->query("INSERT INTO members (room_id, user_id, role, joined_at, delivered_seq, read_seq,"
                         " shared_read_seq, own_unread) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                         " (SELECT COUNT(*) FROM messages x WHERE x.room_id = $1 AND x.sender_id = $2"
                         "  AND " + counted_message_condition("x") + " AND x.seq > $6))",
                         Params(member.room_id, member.user_id, domain::to_string(member.role), member.joined_at_ms,
                                member.delivered_seq, member.read_seq, member.shared_read_seq));
  if (!inserted) {
    if (inserted.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "user " + std::to_string(member.user_id.value) +
                                           " is already a member of room " + std::to_string(member.room_id.value));
    return std::unexpected(std::move(inserted.error()));
  }
  return {};
}

Result<void> PostgresSession::delete_member(RoomId room, UserId user) {
  return change_one_row("DELETE FROM members WHERE room_id = $1 AND user_id = $2", Params(room, user), "member");
}

Result<void> PostgresSession::update_member_role(RoomId room, UserId user, domain::Role role) {
  return change_one_row("UPDATE members SET role = $3 WHERE room_id = $1 AND user_id = $2",
                        Params(room, user, domain::to_string(role)), "member");
}

Result<std::optional<domain::Member>> PostgresSession::find_member(RoomId room, UserId user) {
  PARLEY_TRY(rows, connection_->query(select_members() + "WHERE room_id = $1 AND user_id = $2", Params(room, user)));
  return fetch_optional(rows, member_row);
}

Result<std::optional<domain::RoomWithMember>> PostgresSession::find_room_with_member(RoomId room, UserId user) {
  PARLEY_TRY(rows, connection_->query(select_room_with_member(), Params(room, user)));
  return fetch_optional(rows, [](const Row& row) { return read_room_with_member(row, 0); });
}

Result<std::vector<domain::Member>> PostgresSession::list_members(RoomId room) {
  PARLEY_TRY(rows,
             connection_->query(select_members() + "WHERE room_id = $1 ORDER BY joined_at, user_id", Params(room)));
  return fetch_all(rows, member_row);
}

Result<std::int64_t> PostgresSession::count_admins(RoomId room) {
  PARLEY_TRY(rows, connection_->query("SELECT COUNT(*) FROM members WHERE room_id = $1 AND role = 'admin'",
                                      Params(room)));
  return fetch_int64(rows);
}

Result<std::vector<RoomId>> PostgresSession::list_room_ids_for_user(UserId user) {
  PARLEY_TRY(rows,
             connection_->query("SELECT room_id FROM members WHERE user_id = $1 ORDER BY room_id", Params(user)));
  return fetch_all(rows, [](const Row& row) -> Result<RoomId> { return RoomId(row.int64(0)); });
}

namespace {
Result<domain::RoomHead> room_head_row(const Row& row) { return domain::RoomHead{RoomId(row.int64(0)), row.int64(1)}; }
}  // namespace

Result<std::vector<domain::RoomHead>> PostgresSession::list_room_heads_for_user(UserId user) {
  PARLEY_TRY(rows, connection_->query("SELECT r.id, r.last_seq FROM members m JOIN rooms r ON r.id = m.room_id"
                                      " WHERE m.user_id = $1 ORDER BY r.id",
                                      Params(user)));
  return fetch_all(rows, room_head_row);
}

Result<std::vector<domain::RoomHead>> PostgresSession::list_room_heads(std::span<const RoomId> rooms) {
  if (rooms.empty()) return std::vector<domain::RoomHead>();
  PARLEY_TRY(rows, connection_->query("SELECT id, last_seq FROM rooms WHERE id = ANY($1::bigint[]) ORDER BY id",
                                      Params(id_list(rooms, '{', '}'))));
  return fetch_all(rows, room_head_row);
}

Result<domain::Member> PostgresSession::advance_watermarks(RoomId room, UserId user, Seq delivered, Seq read) {
  PARLEY_TRY(rows, connection_->query(advance_watermarks_sql(), Params(room, user, delivered, read)));
  PARLEY_TRY(member, fetch_optional(rows, member_row));
  if (!member)
    return fail(ErrorCode::not_found,
                "user " + std::to_string(user.value) + " is not a member of room " + std::to_string(room.value));
  return std::move(*member);
}

}  // namespace parley::store::postgres
