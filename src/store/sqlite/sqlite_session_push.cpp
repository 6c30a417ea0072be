// Push: the targets users' devices registered, a member's mute and a user's push_text setting.
#include <string>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

const std::string& select_push_targets() {
  static const std::string sql = "SELECT " + std::string(kPushTargetColumns) + " FROM push_targets ";
  return sql;
}

[[nodiscard]] Result<domain::PushTarget> push_target_row(const Statement& row) { return read_push_target(row, 0); }

}  // namespace

Result<void> SqliteSession::set_push_text(UserId user, domain::PushText push_text) {
  PARLEY_TRY(update, connection_->prepare("UPDATE users SET push_text = ?2 WHERE id = ?1"));
  update.bind_all(user, std::string(domain::to_string(push_text)));
  return change_one_row(update, "user");
}

Result<void> SqliteSession::set_member_muted(RoomId room, UserId user, bool muted) {
  PARLEY_TRY(update, connection_->prepare("UPDATE members SET muted = ?3 WHERE room_id = ?1 AND user_id = ?2"));
  update.bind_all(room, user, muted);
  return change_one_row(update, "member");
}

Result<domain::PushTarget> SqliteSession::upsert_push_target(const domain::PushTarget& target, TimestampMs now_ms) {
  static const std::string sql =
      "INSERT INTO push_targets (user_id, kind, app_id, pushkey, url, p256dh, auth, created_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) ON CONFLICT (kind, app_id, pushkey) DO UPDATE SET"
      " user_id = excluded.user_id, url = excluded.url, p256dh = excluded.p256dh, auth = excluded.auth,"
      " updated_at = excluded.updated_at RETURNING " +
      std::string(kPushTargetColumns);
  PARLEY_TRY(upsert, connection_->prepare(sql));
  upsert.bind_all(target.user_id, std::string(domain::to_string(target.kind)), target.app_id, target.pushkey,
                  target.url, target.p256dh, target.auth, now_ms);
  PARLEY_TRY(stored, fetch_optional(upsert, push_target_row));
  if (!stored) return fail(ErrorCode::internal, "the push target was not stored");
  return std::move(*stored);
}

Result<std::optional<domain::PushTarget>> SqliteSession::find_push_target(std::int64_t id) {
  PARLEY_TRY(query, connection_->prepare(select_push_targets() + "WHERE id = ?1"));
  query.bind_all(id);
  return fetch_optional(query, push_target_row);
}

Result<std::optional<domain::PushTarget>> SqliteSession::find_push_target_by_key(domain::PushKind kind,
                                                                                 const std::string& app_id,
                                                                                 const std::string& pushkey) {
  PARLEY_TRY(query, connection_->prepare(select_push_targets() + "WHERE kind = ?1 AND app_id = ?2 AND pushkey = ?3"));
  query.bind_all(std::string(domain::to_string(kind)), app_id, pushkey);
  return fetch_optional(query, push_target_row);
}

Result<std::vector<domain::PushTarget>> SqliteSession::list_push_targets(UserId user) {
  PARLEY_TRY(query, connection_->prepare(select_push_targets() + "WHERE user_id = ?1 ORDER BY id"));
  query.bind_all(user);
  return fetch_all(query, push_target_row);
}

Result<std::vector<domain::PushTarget>> SqliteSession::list_push_targets_of(std::span<const UserId> users) {
  if (users.empty()) return std::vector<domain::PushTarget>();
  PARLEY_TRY(query, connection_->prepare(select_push_targets() +
                                         "WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY user_id, id"));
  query.bind_all(id_list(users, '[', ']'));
  return fetch_all(query, push_target_row);
}

Result<std::vector<domain::PushRecipient>> SqliteSession::list_push_recipients(RoomId room) {
  static const std::string sql = [] {
    std::string text(kPushRecipientsSql);
    return text.replace(text.find("$ROOM"), 5, "?1");
  }();
  PARLEY_TRY(query, connection_->prepare(sql));
  query.bind_all(room);
  return fetch_all(query, [](const Statement& row) { return read_push_recipient(row, 0); });
}

Result<std::int64_t> SqliteSession::count_push_targets(UserId user) {
  PARLEY_TRY(query, connection_->prepare("SELECT count(*) FROM push_targets WHERE user_id = ?1"));
  query.bind_all(user);
  PARLEY_TRY(count, fetch_optional(query, [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }));
  return count.value_or(0);
}

Result<bool> SqliteSession::any_push_targets() {
  PARLEY_TRY(query, connection_->prepare("SELECT EXISTS (SELECT 1 FROM push_targets)"));
  PARLEY_TRY(any, fetch_optional(query, [](const Statement& row) -> Result<bool> { return row.int64(0) != 0; }));
  return any.value_or(false);
}

Result<void> SqliteSession::delete_push_target(UserId user, std::int64_t id) {
  PARLEY_TRY(remove, connection_->prepare("DELETE FROM push_targets WHERE id = ?2 AND user_id = ?1"));
  remove.bind_all(user, id);
  return change_one_row(remove, "push target");
}

Result<bool> SqliteSession::delete_push_target_by_key(domain::PushKind kind, const std::string& app_id,
                                                     const std::string& pushkey) {
  PARLEY_TRY(remove, connection_->prepare("DELETE FROM push_targets WHERE kind = ?1 AND app_id = ?2 AND pushkey = ?3"));
  remove.bind_all(std::string(domain::to_string(kind)), app_id, pushkey);
  PARLEY_CHECK(remove.run());
  return connection_->changes() > 0;
}

}  // namespace parley::store::sqlite
