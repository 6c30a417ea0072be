// Keys of the app's backend for the server API.
#include <string>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

const std::string& select_api_keys() {
  static const std::string sql = "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys ";
  return sql;
}

[[nodiscard]] Result<ApiKey> api_key_row(const Row& row) { return read_api_key(row, 0); }

}  // namespace

Result<ApiKey> PostgresSession::insert_api_key(const std::string& name, const std::string& secret_hash,
                                               TimestampMs created_at_ms) {
  PARLEY_TRY(inserted, connection_->query("INSERT INTO api_keys (name, secret_hash, created_at) VALUES ($1, $2, $3)"
                                          " RETURNING id",
                                          Params(name, secret_hash, created_at_ms)));
  return ApiKey{.id = inserted.int64(0, 0), .name = name, .created_at_ms = created_at_ms};
}

Result<std::vector<ApiKey>> PostgresSession::list_api_keys() {
  PARLEY_TRY(rows, connection_->query(select_api_keys() + "ORDER BY id", Params()));
  return fetch_all(rows, api_key_row);
}

Result<std::optional<ApiKey>> PostgresSession::find_api_key(const std::string& secret_hash) {
  PARLEY_TRY(rows, connection_->query(select_api_keys() + "WHERE secret_hash = $1", Params(secret_hash)));
  return fetch_optional(rows, api_key_row);
}

Result<void> PostgresSession::revoke_api_key(std::int64_t id, TimestampMs at) {
  return change_one_row("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1", Params(id, at),
                        "API key");
}

Result<void> PostgresSession::touch_api_key(std::int64_t id, TimestampMs at) {
  PARLEY_TRY(updated, connection_->query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", Params(id, at)));
  return {};
}

}  // namespace parley::store::postgres
