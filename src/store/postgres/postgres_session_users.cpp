// Users and refresh tokens.
#include <string>
#include <utility>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

[[nodiscard]] Result<domain::User> user_row(const Row& row) { return read_user(row, 0); }

[[nodiscard]] Result<RefreshToken> refresh_token_row(const Row& row) {
  return RefreshToken{
      .token_hash = row.text(0),
      .user_id = UserId(row.int64(1)),
      .family_id = row.text(2),
      .expires_at_ms = row.int64(3),
      .used = row.boolean(4),
  };
}

const std::string& select_users() {
  static const std::string sql = "SELECT " + user_columns() + " FROM users ";
  return sql;
}

}  // namespace

Result<domain::User> PostgresSession::insert_user(const NewUser& user) {
  auto inserted = connection_->query(
      "INSERT INTO users (username, display_name, password_hash, created_at, external_id, bot)"
      " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6) RETURNING id",
      Params(user.username, user.display_name, user.password_hash, user.created_at_ms, user.external_id,
             user.bot ? 1 : 0));
  if (!inserted) return std::unexpected(insert_user_error(std::move(inserted.error()), user.username, user.external_id));
  return domain::User{
      .id = UserId(inserted->int64(0, 0)),
      .username = user.username,
      .display_name = user.display_name,
      .created_at_ms = user.created_at_ms,
      .bot = user.bot,
      .external_id = user.external_id,
  };
}

Result<std::optional<domain::User>> PostgresSession::find_user(UserId id) {
  PARLEY_TRY(rows, connection_->query(select_users() + "WHERE id = $1", Params(id)));
  return fetch_optional(rows, user_row);
}

Result<std::optional<domain::User>> PostgresSession::find_user_by_username(const std::string& username) {
  // lower() on both sides, as the unique index is on lower(username), which it can then use.
  PARLEY_TRY(rows, connection_->query(select_users() + "WHERE lower(username) = lower($1)", Params(username)));
  return fetch_optional(rows, user_row);
}

Result<std::optional<domain::User>> PostgresSession::find_user_by_external_id(const std::string& external_id) {
  PARLEY_TRY(rows, connection_->query(select_users() + "WHERE external_id = $1", Params(external_id)));
  return fetch_optional(rows, user_row);
}

Result<std::vector<domain::User>> PostgresSession::find_users(std::span<const UserId> ids) {
  if (ids.empty()) return std::vector<domain::User>();
  PARLEY_TRY(rows, connection_->query(select_users() + "WHERE id = ANY($1::bigint[]) ORDER BY id",
                                      Params(id_list(ids, '{', '}'))));
  return fetch_all(rows, user_row);
}

Result<std::optional<domain::Credentials>> PostgresSession::find_credentials(const std::string& username) {
  PARLEY_TRY(rows, connection_->query("SELECT id, password_hash FROM users WHERE lower(username) = lower($1)",
                                      Params(username)));
  return fetch_optional(rows, [](const Row& row) -> Result<domain::Credentials> {
    return domain::Credentials{.user_id = UserId(row.int64(0)), .password_hash = row.text(1)};
  });
}

Result<void> PostgresSession::update_user_profile(UserId user, const std::string& display_name, bool bot) {
  // bot is a SMALLINT, as SQLite's integer: both backends read the users' columns alike.
  return change_one_row("UPDATE users SET display_name = $2, bot = $3 WHERE id = $1",
                        Params(user, display_name, bot ? 1 : 0), "user");
}

Result<void> PostgresSession::insert_refresh_token(const RefreshToken& token) {
  PARLEY_TRY(inserted, connection_->query("INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, used)"
                                          " VALUES ($1, $2, $3, $4, $5)",
                                          Params(token.token_hash, token.user_id, token.family_id,
                                                 token.expires_at_ms, token.used)));
  return {};
}

Result<std::optional<RefreshToken>> PostgresSession::find_refresh_token(const std::string& token_hash) {
  PARLEY_TRY(rows, connection_->query(
                       "SELECT token_hash, user_id, family_id, expires_at, used FROM refresh_tokens WHERE token_hash = $1",
                       Params(token_hash)));
  return fetch_optional(rows, refresh_token_row);
}

Result<void> PostgresSession::mark_refresh_token_used(const std::string& token_hash) {
  return change_one_row("UPDATE refresh_tokens SET used = true WHERE token_hash = $1", Params(token_hash),
                        "refresh token");
}

Result<void> PostgresSession::delete_refresh_family(const std::string& family_id) {
  PARLEY_TRY(deleted, connection_->query("DELETE FROM refresh_tokens WHERE family_id = $1", Params(family_id)));
  return {};
}

Result<std::vector<std::string>> PostgresSession::list_login_families(UserId user) {
  PARLEY_TRY(rows, connection_->query("SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1 ORDER BY family_id",
                                      Params(user)));
  return fetch_all(rows, [](const Row& row) -> Result<std::string> { return row.text(0); });
}

Result<void> PostgresSession::insert_revoked_login(const std::string& family_id, UserId user, TimestampMs expires_at_ms,
                                                   TimestampMs now_ms) {
  PARLEY_TRY(forgotten, connection_->query("DELETE FROM revoked_logins WHERE expires_at <= $1", Params(now_ms)));
  PARLEY_TRY(inserted, connection_->query("INSERT INTO revoked_logins (family_id, user_id, expires_at) VALUES ($1, $2, $3)"
                                          " ON CONFLICT (family_id) DO UPDATE"
                                          " SET expires_at = GREATEST(revoked_logins.expires_at, excluded.expires_at)",
                                          Params(family_id, user, expires_at_ms)));
  return {};
}

Result<std::vector<std::string>> PostgresSession::list_revoked_logins(TimestampMs now_ms) {
  PARLEY_TRY(rows, connection_->query("SELECT family_id FROM revoked_logins WHERE expires_at > $1 ORDER BY family_id",
                                      Params(now_ms)));
  return fetch_all(rows, [](const Row& row) -> Result<std::string> { return row.text(0); });
}

Result<void> PostgresSession::update_password_hash(UserId user, const std::string& password_hash) {
  return change_one_row("UPDATE users SET password_hash = $2 WHERE id = $1", Params(user, password_hash), "user");
}

}  // namespace parley::store::postgres
