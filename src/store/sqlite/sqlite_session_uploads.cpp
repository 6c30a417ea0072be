// Uploads: the record of each uploaded file, who may read it, and the unreferenced ones to sweep.
#include <string>
#include <utility>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

[[nodiscard]] Result<domain::Upload> upload_row(const Statement& row) { return read_upload(row, 0); }

const std::string& select_upload_sql() {
  static const std::string sql = "SELECT " + upload_columns() + " FROM uploads WHERE id = ?1";
  return sql;
}

// The owner, or a member of a room holding a message that carries it (messages_by_upload).
const std::string& select_readable_upload_sql() {
  static const std::string sql =
      "SELECT " + upload_columns("u") +
      " FROM uploads u WHERE u.id = ?1 AND (u.owner_id = ?2 OR EXISTS ("
      "SELECT 1 FROM messages m JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = ?2"
      " WHERE m.att_upload_id = u.id))";
  return sql;
}

const std::string& select_unreferenced_sql() {
  static const std::string sql = "SELECT " + upload_columns() +
                                 " FROM uploads WHERE referenced_at IS NULL AND created_at < ?1"
                                 " ORDER BY created_at LIMIT ?2";
  return sql;
}

}  // namespace

Result<void> SqliteSession::insert_upload(const domain::Upload& u) {
  PARLEY_TRY(insert, connection_->prepare("INSERT INTO uploads (" + upload_columns() +
                                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  insert.bind_all(u.id, u.owner, u.sha256, u.size_bytes, u.mime_type, u.name, u.width, u.height, u.duration_ms,
                  u.created_at_ms, u.referenced_at_ms);
  if (auto done = insert.run(); !done) {
    if (done.error().code == ErrorCode::conflict) return fail(ErrorCode::conflict, "upload " + u.id + " exists");
    if (done.error().code == ErrorCode::not_found)
      return fail(ErrorCode::not_found, "no user " + std::to_string(u.owner.value));
    return std::unexpected(std::move(done.error()));
  }
  return {};
}

Result<std::optional<domain::Upload>> SqliteSession::find_upload(const std::string& id) {
  PARLEY_TRY(query, connection_->prepare(select_upload_sql()));
  query.bind_all(id);
  return fetch_optional(query, upload_row);
}

Result<std::optional<domain::Upload>> SqliteSession::find_readable_upload(const std::string& id, UserId reader) {
  PARLEY_TRY(query, connection_->prepare(select_readable_upload_sql()));
  query.bind_all(id, reader);
  return fetch_optional(query, upload_row);
}

Result<void> SqliteSession::mark_upload_referenced(const std::string& id, TimestampMs at) {
  PARLEY_TRY(update, connection_->prepare("UPDATE uploads SET referenced_at = COALESCE(referenced_at, ?2) WHERE id = ?1"));
  update.bind_all(id, at);
  return change_one_row(update, "upload");
}

Result<std::vector<domain::Upload>> SqliteSession::list_unreferenced_uploads(TimestampMs created_before, int limit) {
  if (limit <= 0) return std::vector<domain::Upload>();
  PARLEY_TRY(query, connection_->prepare(select_unreferenced_sql()));
  query.bind_all(created_before, limit);
  return fetch_all(query, upload_row);
}

Result<void> SqliteSession::delete_upload(const std::string& id) {
  PARLEY_TRY(remove, connection_->prepare("DELETE FROM uploads WHERE id = ?1"));
  remove.bind_all(id);
  return remove.run();
}

Result<std::int64_t> SqliteSession::count_uploads_with_sha256(const std::string& sha256) {
  PARLEY_TRY(query, connection_->prepare("SELECT COUNT(*) FROM uploads WHERE sha256 = ?1"));
  query.bind_all(sha256);
  return fetch_int64(query);
}

}  // namespace parley::store::sqlite
