// Messages: appending with the room's next seq, finding a repeated send, paging history.
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "store/message_sql.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

[[nodiscard]] Result<domain::Message> message_row(const Row& row) { return read_message(row, 0); }

const std::string& insert_message_sql() {
  static const std::string sql = "INSERT INTO messages (" + message_columns() + ", unread_rank) VALUES (DEFAULT, " +
                                 message_value_placeholders() + ", (SELECT counted FROM rooms WHERE id = $1)) RETURNING id";
  return sql;
}

Params message_params(const domain::Message& m, Seq seq) {
  return std::apply([](const auto&... values) { return Params(values...); }, message_values(m, seq));
}

}  // namespace

Result<domain::Message> PostgresSession::append_message(const domain::Message& message) {
  // The seq is taken and the message stored in one transaction, so that a failure of either
  // undoes both and no seq is ever skipped.
  PARLEY_CHECK(require_transaction("append_message"));

  // One statement reads and bumps the counter, and row-locks the room until the commit: a
  // writer on another session or node blocks here, then reads the committed value, so each
  // seq is taken once.
  // The bump also counts the message for unread counts (009_unread_ranks.sql); the insert
  // below reads the new count as the message's rank.
  const bool counted = domain::is_content(message.type);
  PARLEY_TRY(bumped, connection_->query("UPDATE rooms SET last_seq = last_seq + 1, last_activity_at = $2,"
                                        " counted = counted + $3 WHERE id = $1 RETURNING last_seq",
                                        Params(message.room_id, message.created_at_ms, std::int64_t{counted ? 1 : 0})));
  if (bumped.size() == 0) return fail(ErrorCode::not_found, "no room " + std::to_string(message.room_id.value));
  const Seq seq = bumped.int64(0, 0);

  // When the insert fails (a repeated client_msg_id, an unknown sender) the transaction has
  // failed, and the caller's rollback (or rollback to its savepoint) undoes the bump too.
  auto inserted = connection_->query(insert_message_sql(), message_params(message, seq));
  if (!inserted) {
    if (inserted.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "user " + std::to_string(message.sender_id.value) +
                                           " already sent a message with client_msg_id " + message.client_msg_id);
    return std::unexpected(std::move(inserted.error()));
  }
  // One more of the sender's own messages after their read watermark: never unread to them.
  if (counted)
    PARLEY_CHECK(connection_->query("UPDATE members SET own_unread = own_unread + 1 WHERE room_id = $1 AND user_id = $2",
                                    Params(message.room_id, message.sender_id)));
  domain::Message stored = message;
  stored.id = MessageId(inserted->int64(0, 0));
  stored.seq = seq;
  return stored;
}

Result<std::optional<domain::Message>> PostgresSession::find_message_by_client_id(UserId sender,
                                                                                  const std::string& client_msg_id) {
  // System messages have no client id; an empty one must not find them.
  if (client_msg_id.empty()) return std::optional<domain::Message>();
  PARLEY_TRY(rows, connection_->query(select_message_by_client_id_sql(), Params(sender, client_msg_id)));
  return fetch_optional(rows, message_row);
}

Result<std::vector<domain::Message>> PostgresSession::list_messages_before(RoomId room, Seq before, int limit) {
  // PostgreSQL refuses a negative LIMIT; a page of nothing is what was asked for.
  if (limit <= 0) return std::vector<domain::Message>();
  PARLEY_TRY(rows, connection_->query(select_messages_before_sql(),
                                      Params(room, before <= 0 ? std::numeric_limits<Seq>::max() : before, limit)));
  return fetch_all(rows, message_row);
}

Result<std::vector<domain::Message>> PostgresSession::list_messages_after(RoomId room, Seq after, int limit) {
  if (limit <= 0) return std::vector<domain::Message>();
  PARLEY_TRY(rows, connection_->query(select_messages_after_sql(), Params(room, after, limit)));
  return fetch_all(rows, message_row);
}

}  // namespace parley::store::postgres
