// Push: the targets users' devices registered, a member's mute and a user's push_text setting.
#include <string>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

const std::string& select_push_targets() {
  static const std::string sql = "SELECT " + std::string(kPushTargetColumns) + " FROM push_targets ";
  return sql;
}

[[nodiscard]] Result<domain::PushTarget> push_target_row(const Row& row) { return read_push_target(row, 0); }

}  // namespace

Result<void> PostgresSession::set_push_text(UserId user, domain::PushText push_text) {
  return change_one_row("UPDATE users SET push_text = $2 WHERE id = $1", Params(user, domain::to_string(push_text)),
                        "user");
}

Result<void> PostgresSession::set_member_muted(RoomId room, UserId user, bool muted) {
  return change_one_row("UPDATE members SET muted = $3 WHERE room_id = $1 AND user_id = $2",
                        Params(room, user, static_cast<std::int64_t>(muted ? 1 : 0)), "member");
}

Result<domain::PushTarget> PostgresSession::upsert_push_target(const domain::PushTarget& target, TimestampMs now_ms) {
  static const std::string sql =
      "INSERT INTO push_targets (user_id, kind, app_id, pushkey, url, p256dh, auth, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (kind, app_id, pushkey) DO UPDATE SET"
      " user_id = excluded.user_id, url = excluded.url, p256dh = excluded.p256dh, auth = excluded.auth,"
      " updated_at = excluded.updated_at RETURNING " +
      std::string(kPushTargetColumns);
  PARLEY_TRY(rows, connection_->query(sql, Params(target.user_id, domain::to_string(target.kind), target.app_id,
                                                  target.pushkey, target.url, target.p256dh, target.auth, now_ms)));
  PARLEY_TRY(stored, fetch_optional(rows, push_target_row));
  if (!stored) return fail(ErrorCode::internal, "the push target was not stored");
  return std::move(*stored);
}

Result<std::optional<domain::PushTarget>> PostgresSession::find_push_target(std::int64_t id) {
  PARLEY_TRY(rows, connection_->query(select_push_targets() + "WHERE id = $1", Params(id)));
  return fetch_optional(rows, push_target_row);
}

Result<std::optional<domain::PushTarget>> PostgresSession::find_push_target_by_key(domain::PushKind kind,
                                                                                   const std::string& app_id,
                                                                                   const std::string& pushkey) {
  PARLEY_TRY(rows, connection_->query(select_push_targets() + "WHERE kind = $1 AND app_id = $2 AND pushkey = $3",
                                      Params(domain::to_string(kind), app_id, pushkey)));
  return fetch_optional(rows, push_target_row);
}

Result<std::vector<domain::PushTarget>> PostgresSession::list_push_targets(UserId user) {
  PARLEY_TRY(rows, connection_->query(select_push_targets() + "WHERE user_id = $1 ORDER BY id", Params(user)));
  return fetch_all(rows, push_target_row);
}

Result<std::vector<domain::PushTarget>> PostgresSession::list_push_targets_of(std::span<const UserId> users) {
  if (users.empty()) return std::vector<domain::PushTarget>();
  PARLEY_TRY(rows, connection_->query(select_push_targets() + "WHERE user_id = ANY($1::bigint[]) ORDER BY user_id, id",
                                      Params(id_list(users, '{', '}'))));
  return fetch_all(rows, push_target_row);
}

Result<std::vector<domain::PushRecipient>> PostgresSession::list_push_recipients(RoomId room) {
  static const std::string sql = [] {
    std::string text(kPushRecipientsSql);
    return text.replace(text.find("$ROOM"), 5, "$1");
  }();
  PARLEY_TRY(rows, connection_->query(sql, Params(room)));
  return fetch_all(rows, [](const Row& row) { return read_push_recipient(row, 0); });
}

Result<std::int64_t> PostgresSession::count_push_targets(UserId user) {
  PARLEY_TRY(rows, connection_->query("SELECT count(*) FROM push_targets WHERE user_id = $1", Params(user)));
  return rows.int64(0, 0);
}

Result<bool> PostgresSession::any_push_targets() {
  PARLEY_TRY(rows, connection_->query("SELECT count(*) FROM (SELECT 1 FROM push_targets LIMIT 1) t", Params()));
  return rows.int64(0, 0) > 0;
}

Result<void> PostgresSession::delete_push_target(UserId user, std::int64_t id) {
  return change_one_row("DELETE FROM push_targets WHERE id = $2 AND user_id = $1", Params(user, id), "push target");
}

Result<bool> PostgresSession::delete_push_target_by_key(domain::PushKind kind, const std::string& app_id,
                                                       const std::string& pushkey) {
  PARLEY_TRY(removed, connection_->query("DELETE FROM push_targets WHERE kind = $1 AND app_id = $2 AND pushkey = $3",
                                         Params(domain::to_string(kind), app_id, pushkey)));
  return removed.affected() > 0;
}

}  // namespace parley::store::postgres
