// Settings: what a user chose for their own account.
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {

Result<domain::UserSettings> PostgresSession::find_user_settings(UserId user) {
  PARLEY_TRY(rows, connection_->query("SELECT " + std::string(kUserSettingsColumns) + " FROM users WHERE id = $1", Params(user)));
  PARLEY_TRY(found, fetch_optional(rows, [](const Row& row) { return read_user_settings(row, 0); }));
  if (!found) return fail(ErrorCode::not_found, "no such user");
  return std::move(*found);
}

Result<void> PostgresSession::set_read_receipts(UserId user, domain::ReadReceipts read_receipts) {
  return change_one_row("UPDATE users SET read_receipts = $2 WHERE id = $1",
                        Params(user, domain::to_string(read_receipts)), "user");
}

}  // namespace parley::store::postgres
