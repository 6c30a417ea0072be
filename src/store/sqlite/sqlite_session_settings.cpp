// Settings: what a user chose for their own account.
#include <string>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {

Result<domain::UserSettings> SqliteSession::find_user_settings(UserId user) {
  PARLEY_TRY(query, connection_->prepare("SELECT " + std::string(kUserSettingsColumns) + " FROM users WHERE id = ?1"));
  query.bind_all(user);
  PARLEY_TRY(found, fetch_optional(query, [](const Statement& row) { return read_user_settings(row, 0); }));
  if (!found) return fail(ErrorCode::not_found, "no such user");
  return std::move(*found);
}

Result<void> SqliteSession::set_read_receipts(UserId user, domain::ReadReceipts read_receipts) {
  PARLEY_TRY(update, connection_->prepare("UPDATE users SET read_receipts = ?2 WHERE id = ?1"));
  update.bind_all(user, std::string(domain::to_string(read_receipts)));
  return change_one_row(update, "user");
}

}  // namespace parley::store::sqlite
