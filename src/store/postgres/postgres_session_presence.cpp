// Presence: the status a user chose and when others last saw them.
#include <string>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

[[nodiscard]] Result<domain::StoredPresence> presence_row(const Row& row) {
  auto status = domain::presence_status_from(row.text(1));
  if (!status) return fail(ErrorCode::internal, "a stored presence status is not one Parley knows");
  return domain::StoredPresence{UserId(row.int64(0)), *status, row.optional_int64(2)};
}

}  // namespace

Result<void> PostgresSession::set_presence_status(UserId user, domain::PresenceStatus status) {
  return change_one_row("UPDATE users SET presence_status = $2 WHERE id = $1",
                        Params(user, domain::to_string(status)), "user");
}

Result<void> PostgresSession::set_last_seen(UserId user, TimestampMs at) {
  return change_one_row("UPDATE users SET last_seen_at = $2 WHERE id = $1", Params(user, at), "user");
}

Result<domain::StoredPresence> PostgresSession::find_presence(UserId user) {
  PARLEY_TRY(rows, connection_->query("SELECT id, presence_status, last_seen_at FROM users WHERE id = $1",
                                      Params(user)));
  PARLEY_TRY(found, fetch_optional(rows, presence_row));
  if (!found) return fail(ErrorCode::not_found, "no such user");
  return std::move(*found);
}

Result<std::vector<domain::StoredPresence>> PostgresSession::list_contacts_presence(UserId user) {
  PARLEY_TRY(rows, connection_->query("SELECT u.id, u.presence_status, u.last_seen_at FROM users u "
                                      "WHERE u.id <> $1 AND u.id IN ("
                                      "  SELECT other.user_id FROM members mine "
                                      "  JOIN members other ON other.room_id = mine.room_id "
                                      "  WHERE mine.user_id = $1) "
                                      "ORDER BY u.id",
                                      Params(user)));
  return fetch_all(rows, presence_row);
}

}  // namespace parley::store::postgres
