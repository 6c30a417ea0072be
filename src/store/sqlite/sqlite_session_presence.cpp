// Presence: the status a user chose and when others last saw them.
#include <string>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

[[nodiscard]] Result<domain::StoredPresence> presence_row(const Statement& row) {
  auto status = domain::presence_status_from(row.text(1));
  if (!status) return fail(ErrorCode::internal, "a stored presence status is not one Parley knows");
  return domain::StoredPresence{UserId(row.int64(0)), *status, row.optional_int64(2)};
}

}  // namespace

Result<void> SqliteSession::set_presence_status(UserId user, domain::PresenceStatus status) {
  PARLEY_TRY(update, connection_->prepare("UPDATE users SET presence_status = ?2 WHERE id = ?1"));
  update.bind_all(user, std::string(domain::to_string(status)));
  return change_one_row(update, "user");
}

Result<void> SqliteSession::set_last_seen(UserId user, TimestampMs at) {
  PARLEY_TRY(update, connection_->prepare("UPDATE users SET last_seen_at = ?2 WHERE id = ?1"));
  update.bind_all(user, at);
  return change_one_row(update, "user");
}

Result<domain::StoredPresence> SqliteSession::find_presence(UserId user) {
  PARLEY_TRY(query, connection_->prepare("SELECT id, presence_status, last_seen_at FROM users WHERE id = ?1"));
  query.bind_all(user);
  PARLEY_TRY(found, fetch_optional(query, presence_row));
  if (!found) return fail(ErrorCode::not_found, "no such user");
  return std::move(*found);
}

Result<std::vector<domain::StoredPresence>> SqliteSession::list_contacts_presence(UserId user) {
  PARLEY_TRY(query, connection_->prepare(
                        "SELECT u.id, u.presence_status, u.last_seen_at FROM users u "
                        "WHERE u.id != ?1 AND u.id IN ("
                        "  SELECT other.user_id FROM members mine "
                        "  JOIN members other ON other.room_id = mine.room_id "
                        "  WHERE mine.user_id = ?1) "
                        "ORDER BY u.id"));
  query.bind_all(user);
  return fetch_all(query, presence_row);
}

}  // namespace parley::store::sqlite
