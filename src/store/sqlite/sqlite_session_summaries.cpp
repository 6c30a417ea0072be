// The rooms list: each of a user's rooms with what the list shows of it, in one query.
#include <string>
#include <utility>

#include "store/message_sql.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

constexpr int kRoomAt = 0;
constexpr int kMeAt = kRoomAt + kRoomColumnCount;
constexpr int kMemberCountAt = kMeAt + kMemberColumnCount;
constexpr int kPeerAt = kMemberCountAt + 1;
constexpr int kUnreadAt = kPeerAt + 1;
constexpr int kLastMessageAt = kUnreadAt + 1;

// One row per membership of ?1, so one query for the whole list rather than one per room.
// The counts are correlated subqueries over the keys (members by room, messages by room and
// seq): member_count reads that room's member rows; unread reads one message, the one at my
// read watermark, whatever the backlog (the unread_ranks migration explains the terms). The
// last message is the newest shown as one, found back from the room's last_seq by (room_id,
// seq): an edit or a reaction at the room's end is no last message.
const std::string& select_summaries() {
  static const std::string sql = "SELECT " + room_columns("r") + ", " + member_columns("m") +
                                 ", (SELECT COUNT(*) FROM members c WHERE c.room_id = r.id)"
                                 ", CASE WHEN r.kind = 'direct' THEN"
                                 "   (SELECT p.user_id FROM members p WHERE p.room_id = r.id AND p.user_id <> m.user_id"
                                 "    ORDER BY p.user_id LIMIT 1) END"
                                 ", r.counted - m.own_unread - COALESCE((SELECT u.unread_rank FROM messages u"
                                 "    WHERE u.room_id = r.id AND u.seq = m.read_seq), 0)"
                                 ", " +
                                 message_columns("lm") +
                                 " FROM members m JOIN rooms r ON r.id = m.room_id" +
                                 join_last_shown_message("lm", "r") +
                                 " WHERE m.user_id = ?1 ";
  return sql;
}

const std::string& list_summaries_sql() {
  static const std::string sql = select_summaries() + "ORDER BY r.last_activity_at DESC, r.id DESC";
  return sql;
}

const std::string& find_summary_sql() {
  static const std::string sql = select_summaries() + "AND m.room_id = ?2";
  return sql;
}

[[nodiscard]] Result<domain::RoomSummary> summary_row(const Statement& row) {
  PARLEY_TRY(room, read_room(row, kRoomAt));
  PARLEY_TRY(me, read_member(row, kMeAt));
  domain::RoomSummary summary{
      .room = std::move(room),
      .me = std::move(me),
      .member_count = row.int64(kMemberCountAt),
      .unread_count = row.int64(kUnreadAt),
  };
  if (auto peer = row.optional_int64(kPeerAt)) summary.peer = UserId(*peer);
  // The message columns are all NULL when the room has no message yet (LEFT JOIN).
  if (!row.is_null(kLastMessageAt)) {
    PARLEY_TRY(last, read_message(row, kLastMessageAt));
    summary.last_message = std::move(last);
  }
  return summary;
}

}  // namespace

Result<std::vector<domain::RoomSummary>> SqliteSession::list_room_summaries(UserId user) {
  PARLEY_TRY(query, connection_->prepare(list_summaries_sql()));
  query.bind_all(user);
  return fetch_all(query, summary_row);
}

Result<std::optional<domain::RoomSummary>> SqliteSession::find_room_summary(RoomId room, UserId user) {
  PARLEY_TRY(query, connection_->prepare(find_summary_sql()));
  query.bind_all(user, room);
  return fetch_optional(query, summary_row);
}

}  // namespace parley::store::sqlite
