// Users and refresh tokens.
#include <string>
#include <utility>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

[[nodiscard]] Result<domain::User> user_row(const Statement& row) { return read_user(row, 0); }

[[nodiscard]] Result<RefreshToken> refresh_token_row(const Statement& row) {
  return RefreshToken{
      .token_hash = row.text(0),
      .user_id = UserId(row.int64(1)),
      .family_id = row.text(2),
      .expires_at_ms = row.int64(3),
      .used = row.int64(4) != 0,
  };
}

const std::string& select_users() {
  static const std::string sql = "SELECT " + user_columns() + " FROM users ";
  return sql;
}

}  // namespace

Result<domain::User> SqliteSession::insert_user(const NewUser& user) {
  PARLEY_TRY(insert,
             connection_->prepare(
                 "INSERT INTO users (username, display_name, password_hash, created_at, external_id, bot)"
                 " VALUES (?1, ?2, ?3, ?4, NULLIF(?5, ''), ?6)"));
  insert.bind_all(user.username, user.display_name, user.password_hash, user.created_at_ms, user.external_id, user.bot);
  if (auto done = insert.run(); !done) return std::unexpected(insert_user_error(std::move(done.error()), user.username, user.external_id));
  return domain::User{
      .id = UserId(connection_->last_insert_rowid()),
      .username = user.username,
      .display_name = user.display_name,
      .created_at_ms = user.created_at_ms,
      .bot = user.bot,
      .external_id = user.external_id,
  };
}

Result<std::optional<domain::User>> SqliteSession::find_user(UserId id) {
  PARLEY_TRY(query, connection_->prepare(select_users() + "WHERE id = ?1"));
  query.bind_all(id);
  return fetch_optional(query, user_row);
}

Result<std::optional<domain::User>> SqliteSession::find_user_by_username(const std::string& username) {
  // The column's NOCASE collation makes this match whatever the case.
  PARLEY_TRY(query, connection_->prepare(select_users() + "WHERE username = ?1"));
  query.bind_all(username);
  return fetch_optional(query, user_row);
}

Result<std::optional<domain::User>> SqliteSession::find_user_by_external_id(const std::string& external_id) {
  PARLEY_TRY(query, connection_->prepare(select_users() + "WHERE external_id = ?1"));
  query.bind_all(external_id);
  return fetch_optional(query, user_row);
}

Result<std::vector<domain::User>> SqliteSession::find_users(std::span<const UserId> ids) {
  if (ids.empty()) return std::vector<domain::User>();
  PARLEY_TRY(query, connection_->prepare(select_users() + "WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id"));
  query.bind_all(id_list(ids, '[', ']'));
  return fetch_all(query, user_row);
}

Result<std::optional<domain::Credentials>> SqliteSession::find_credentials(const std::string& username) {
  PARLEY_TRY(query, connection_->prepare("SELECT id, password_hash FROM users WHERE username = ?1"));
  query.bind_all(username);
  return fetch_optional(query, [](const Statement& row) -> Result<domain::Credentials> {
    return domain::Credentials{.user_id = UserId(row.int64(0)), .password_hash = row.text(1)};
  });
}

Result<void> SqliteSession::update_user_profile(UserId user, const std::string& display_name, bool bot) {
  PARLEY_TRY(update, connection_->prepare("UPDATE users SET display_name = ?2, bot = ?3 WHERE id = ?1"));
  update.bind_all(user, display_name, bot);
  return change_one_row(update, "user");
}

Result<void> SqliteSession::insert_refresh_token(const RefreshToken& token) {
  PARLEY_TRY(insert,
             connection_->prepare("INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, used)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5)"));
  insert.bind_all(token.token_hash, token.user_id, token.family_id, token.expires_at_ms, token.used);
  return insert.run();
}

Result<std::optional<RefreshToken>> SqliteSession::find_refresh_token(const std::string& token_hash) {
  PARLEY_TRY(query,
             connection_->prepare(
                 "SELECT token_hash, user_id, family_id, expires_at, used FROM refresh_tokens WHERE token_hash = ?1"));
  query.bind_all(token_hash);
  return fetch_optional(query, refresh_token_row);
}

Result<void> SqliteSession::mark_refresh_token_used(const std::string& token_hash) {
  PARLEY_TRY(update, connection_->prepare("UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?1"));
  update.bind_all(token_hash);
  return change_one_row(update, "refresh token");
}

Result<void> SqliteSession::delete_refresh_family(const std::string& family_id) {
  PARLEY_TRY(remove, connection_->prepare("DELETE FROM refresh_tokens WHERE family_id = ?1"));
  remove.bind_all(family_id);
  return remove.run();
}

Result<std::vector<std::string>> SqliteSession::list_login_families(UserId user) {
  PARLEY_TRY(query, connection_->prepare("SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ?1 ORDER BY family_id"));
  query.bind_all(user);
  return fetch_all(query, [](const Statement& row) -> Result<std::string> { return row.text(0); });
}

Result<void> SqliteSession::insert_revoked_login(const std::string& family_id, UserId user, TimestampMs expires_at_ms,
                                                 TimestampMs now_ms) {
  PARLEY_TRY(forget, connection_->prepare("DELETE FROM revoked_logins WHERE expires_at <= ?1"));
  forget.bind_all(now_ms);
  PARLEY_CHECK(forget.run());
  PARLEY_TRY(insert, connection_->prepare("INSERT INTO revoked_logins (family_id, user_id, expires_at) VALUES (?1, ?2, ?3)"
                                          " ON CONFLICT (family_id) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)"));
  insert.bind_all(family_id, user, expires_at_ms);
  return insert.run();
}

Result<std::vector<std::string>> SqliteSession::list_revoked_logins(TimestampMs now_ms) {
  PARLEY_TRY(query, connection_->prepare("SELECT family_id FROM revoked_logins WHERE expires_at > ?1 ORDER BY family_id"));
  query.bind_all(now_ms);
  return fetch_all(query, [](const Statement& row) -> Result<std::string> { return row.text(0); });
}

Result<void> SqliteSession::update_password_hash(UserId user, const std::string& password_hash) {
  PARLEY_TRY(update, connection_->prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1"));
  update.bind_all(user, password_hash);
  return change_one_row(update, "user");
}

}  // namespace parley::store::sqlite
