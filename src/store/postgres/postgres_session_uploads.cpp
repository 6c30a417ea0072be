// Uploads: the record of each uploaded file, who may read it, and the unreferenced ones to sweep.
#include <string>
#include <utility>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

[[nodiscard]] Result<domain::Upload> upload_row(const Row& row) { return read_upload(row, 0); }

const std::string& insert_upload_sql() {
  static const std::string sql =
      "INSERT INTO uploads (" + upload_columns() + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
  return sql;
}

const std::string& select_upload_sql() {
  static const std::string sql = "SELECT " + upload_columns() + " FROM uploads WHERE id = $1";
  return sql;
}

// The owner, or a member of a room holding a message that carries it (messages_by_upload).
const std::string& select_readable_upload_sql() {
  static const std::string sql =
      "SELECT " + upload_columns("u") +
      " FROM uploads u WHERE u.id = $1 AND (u.owner_id = $2 OR EXISTS ("
      "SELECT 1 FROM messages m JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = $2"
      " WHERE m.att_upload_id = u.id))";
  return sql;
}

const std::string& select_unreferenced_sql() {
  static const std::string sql = "SELECT " + upload_columns() +
                                 " FROM uploads WHERE referenced_at IS NULL AND created_at < $1"
                                 " ORDER BY created_at LIMIT $2";
  return sql;
}

}  // namespace

Result<void> PostgresSession::insert_upload(const domain::Upload& u) {
  auto inserted = connection_->query(
      insert_upload_sql(), Params(u.id, u.owner, u.sha256, u.size_bytes, u.mime_type, u.name, u.width, u.height,
                                  u.duration_ms, u.created_at_ms, u.referenced_at_ms));
  if (!inserted) {
    if (inserted.error().code == ErrorCode::conflict) return fail(ErrorCode::conflict, "upload " + u.id + " exists");
    if (inserted.error().code == ErrorCode::not_found)
      return fail(ErrorCode::not_found, "no user " + std::to_string(u.owner.value));
    return std::unexpected(std::move(inserted.error()));
  }
  return {};
}

Result<std::optional<domain::Upload>> PostgresSession::find_upload(const std::string& id) {
  PARLEY_TRY(rows, connection_->query(select_upload_sql(), Params(id)));
  return fetch_optional(rows, upload_row);
}

Result<std::optional<domain::Upload>> PostgresSession::find_readable_upload(const std::string& id, UserId reader) {
  PARLEY_TRY(rows, connection_->query(select_readable_upload_sql(), Params(id, reader)));
  return fetch_optional(rows, upload_row);
}

Result<void> PostgresSession::mark_upload_referenced(const std::string& id, TimestampMs at) {
  return change_one_row("UPDATE uploads SET referenced_at = COALESCE(referenced_at, $2) WHERE id = $1",
                        Params(id, at), "upload");
}

Result<std::vector<domain::Upload>> PostgresSession::list_unreferenced_uploads(TimestampMs created_before, int limit) {
  if (limit <= 0) return std::vector<domain::Upload>();
  PARLEY_TRY(rows, connection_->query(select_unreferenced_sql(), Params(created_before, limit)));
  return fetch_all(rows, upload_row);
}

Result<void> PostgresSession::delete_upload(const std::string& id) {
  PARLEY_TRY(deleted, connection_->query("DELETE FROM uploads WHERE id = $1", Params(id)));
  return {};
}

Result<std::int64_t> PostgresSession::count_uploads_with_sha256(const std::string& sha256) {
  PARLEY_TRY(rows, connection_->query("SELECT COUNT(*) FROM uploads WHERE sha256 = $1", Params(sha256)));
  return fetch_int64(rows);
}

}  // namespace parley::store::postgres
