// Keys of the app's backend for the server API.
#include <string>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

const std::string& select_api_keys() {
  static const std::string sql = "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys ";
  return sql;
}

[[nodiscard]] Result<ApiKey> api_key_row(const Statement& row) { return read_api_key(row, 0); }

}  // namespace

Result<ApiKey> SqliteSession::insert_api_key(const std::string& name, const std::string& secret_hash,
                                             TimestampMs created_at_ms) {
  PARLEY_TRY(insert, connection_->prepare("INSERT INTO api_keys (name, secret_hash, created_at) VALUES (?1, ?2, ?3)"));
  insert.bind_all(name, secret_hash, created_at_ms);
  PARLEY_CHECK(insert.run());
  return ApiKey{.id = connection_->last_insert_rowid(), .name = name, .created_at_ms = created_at_ms};
}

Result<std::vector<ApiKey>> SqliteSession::list_api_keys() {
  PARLEY_TRY(query, connection_->prepare(select_api_keys() + "ORDER BY id"));
  return fetch_all(query, api_key_row);
}

Result<std::optional<ApiKey>> SqliteSession::find_api_key(const std::string& secret_hash) {
  PARLEY_TRY(query, connection_->prepare(select_api_keys() + "WHERE secret_hash = ?1"));
  query.bind_all(secret_hash);
  return fetch_optional(query, api_key_row);
}

Result<void> SqliteSession::revoke_api_key(std::int64_t id, TimestampMs at) {
  PARLEY_TRY(update, connection_->prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1"));
  update.bind_all(id, at);
  return change_one_row(update, "API key");
}

Result<void> SqliteSession::touch_api_key(std::int64_t id, TimestampMs at) {
  PARLEY_TRY(update, connection_->prepare("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1"));
  update.bind_all(id, at);
  return update.run();
}

}  // namespace parley::store::sqlite
