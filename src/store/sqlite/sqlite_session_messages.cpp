// Messages: appending with the room's next seq, finding a repeated send, paging history.
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "store/message_sql.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

[[nodiscard]] Result<domain::Message> message_row(const Statement& row) { return read_message(row, 0); }

const std::string& insert_message_sql() {
  static const std::string sql = sqlite_placeholders(
      "INSERT INTO messages (" + message_columns() + ", unread_rank) VALUES (NULL, " + message_value_placeholders() +
      ", (SELECT counted FROM rooms WHERE id = $1) + $21)");
  return sql;
}

// The shared statements (store/message_sql.hpp) with SQLite's placeholders, made once.
const std::string& select_by_client_id_sql() {
  static const std::string sql = sqlite_placeholders(select_message_by_client_id_sql());
  return sql;
}

const std::string& select_before_sql() {
  static const std::string sql = sqlite_placeholders(select_messages_before_sql());
  return sql;
}

const std::string& select_after_sql() {
  static const std::string sql = sqlite_placeholders(select_messages_after_sql());
  return sql;
}

// The message's values, then whether it counts as unread (its rank is one above the room's count).
void bind_message(Statement& insert, const domain::Message& m, Seq seq) {
  const std::int64_t counted = domain::is_content(m.type) ? 1 : 0;
  std::apply([&insert, counted](const auto&... values) { insert.bind_all(values..., counted); }, message_values(m, seq));
}

}  // namespace

Result<std::optional<Seq>> SqliteSession::read_last_seq(RoomId room) {
  PARLEY_TRY(query, connection_->prepare("SELECT last_seq FROM rooms WHERE id = ?1"));
  query.bind_all(room);
  return fetch_optional(query, [](const Statement& row) -> Result<Seq> { return row.int64(0); });
}

Result<domain::Message> SqliteSession::append_message(const domain::Message& message) {
  // The read of last_seq and the writes below must sit in one write transaction, or two
  // writers could both take the same seq.
  PARLEY_CHECK(require_transaction("append_message"));

  PARLEY_TRY(last_seq, read_last_seq(message.room_id));
  if (!last_seq) return fail(ErrorCode::not_found, "no room " + std::to_string(message.room_id.value));
  const Seq seq = *last_seq + 1;

  // The message first, the counter second: when the insert fails (a repeated client_msg_id,
  // an unknown sender) the room is left as it was.
  PARLEY_TRY(insert, connection_->prepare(insert_message_sql()));
  bind_message(insert, message, seq);
  if (auto done = insert.run(); !done) {
    if (done.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "user " + std::to_string(message.sender_id.value) +
                                           " already sent a message with client_msg_id " + message.client_msg_id);
    return std::unexpected(std::move(done.error()));
  }
  domain::Message stored = message;
  stored.id = MessageId(connection_->last_insert_rowid());
  stored.seq = seq;

  // The unread count's terms (010_unread_ranks.sql): one more counted message in the room, and
  // one more of the sender's own after their read watermark.
  const bool counted = domain::is_content(message.type);
  PARLEY_TRY(bump, connection_->prepare(
                       "UPDATE rooms SET last_seq = ?2, last_activity_at = ?3, counted = counted + ?4 WHERE id = ?1"));
  bump.bind_all(message.room_id, seq, message.created_at_ms, counted ? 1 : 0);
  PARLEY_CHECK(bump.run());
  if (counted) {
    PARLEY_TRY(own, connection_->prepare(
                        "UPDATE members SET own_unread = own_unread + 1 WHERE room_id = ?1 AND user_id = ?2"));
    own.bind_all(message.room_id, message.sender_id);
    PARLEY_CHECK(own.run());
  }
  return stored;
}

Result<std::optional<domain::Message>> SqliteSession::find_message_by_client_id(UserId sender,
                                                                                const std::string& client_msg_id) {
  // System messages have no client id; an empty one must not find them.
  if (client_msg_id.empty()) return std::optional<domain::Message>();
  PARLEY_TRY(query, connection_->prepare(select_by_client_id_sql()));
  query.bind_all(sender, client_msg_id);
  return fetch_optional(query, message_row);
}

Result<std::vector<domain::Message>> SqliteSession::list_messages_before(RoomId room, Seq before, int limit) {
  // SQLite reads a negative LIMIT as "no limit"; a page of nothing is what was asked for.
  if (limit <= 0) return std::vector<domain::Message>();
  PARLEY_TRY(query, connection_->prepare(select_before_sql()));
  query.bind_all(room, before <= 0 ? std::numeric_limits<Seq>::max() : before, limit);
  return fetch_all(query, message_row);
}

Result<std::vector<domain::Message>> SqliteSession::list_messages_after(RoomId room, Seq after, int limit) {
  if (limit <= 0) return std::vector<domain::Message>();
  PARLEY_TRY(query, connection_->prepare(select_after_sql()));
  query.bind_all(room, after, limit);
  return fetch_all(query, message_row);
}

}  // namespace parley::store::sqlite
