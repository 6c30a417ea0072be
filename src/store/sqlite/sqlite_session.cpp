// Transactions, and the helpers the topic files share.
#include "store/sqlite/sqlite_session.hpp"

#include <string>
#include <utility>

#include "store/message_sql.hpp"

namespace parley::store::sqlite {

SqliteSession::SqliteSession(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

Result<void> SqliteSession::begin_write() {
  // IMMEDIATE takes the write lock now rather than at the first write, so that a batch never
  // fails half-way because another connection wrote in between (SQLITE_BUSY_SNAPSHOT).
  return run_cached("BEGIN IMMEDIATE");
}

Result<void> SqliteSession::commit() {
  // On failure the transaction may still be open; the caller's rollback() ends it.
  PARLEY_CHECK(index_noted_messages());
  return run_cached("COMMIT");
}

// The messages this transaction stored enter the search index in one statement, so that FTS5
// joins the transaction here, once, and not at every operation's savepoint
// (013_search_index_at_commit.sql). With nothing noted it is one look at an empty table. CROSS
// JOIN keeps the notes outside: left to itself the planner scans every message.
Result<void> SqliteSession::index_noted_messages() {
  // The content types, which the index holds (012_message_search.sql), are the ones that count.
  static const std::string index_noted =
      "INSERT INTO messages_fts (rowid, text, att_name) "
      "SELECT m.id, m.text, m.att_name FROM messages_fts_pending p CROSS JOIN messages m ON m.id = p.id "
      "WHERE " + counted_message_condition("m") + " AND m.deleted_at IS NULL";
  PARLEY_CHECK(run_cached(index_noted));
  return run_cached("DELETE FROM messages_fts_pending");
}

void SqliteSession::rollback() noexcept {
  // A failed COMMIT or a storage fault may have ended the transaction already.
  if (connection_->in_transaction()) connection_->execute_quietly("ROLLBACK");
}

Result<void> SqliteSession::begin_read_snapshot() {
  // Deferred: the snapshot is taken at the first read, and lasts until rollback() ends it. In
  // WAL mode it never blocks the writer.
  return run_cached("BEGIN");
}

// One fixed name: savepoints nest one level in a batch (one per operation), and a nested
// SAVEPOINT of the same name would still pair with the innermost RELEASE.
Result<void> SqliteSession::savepoint() {
  // Outside a transaction SAVEPOINT would open a deferred one, which is not a write lock.
  PARLEY_CHECK(require_transaction("savepoint"));
  return run_cached("SAVEPOINT operation");
}

Result<void> SqliteSession::release_savepoint() {
  PARLEY_CHECK(require_transaction("release_savepoint"));
  return run_cached("RELEASE operation");
}

void SqliteSession::rollback_to_savepoint() noexcept {
  // ROLLBACK TO leaves the savepoint open; RELEASE ends it, so that it pairs like release.
  if (connection_->in_transaction()) connection_->execute_quietly("ROLLBACK TO operation; RELEASE operation");
}

// Transaction control runs several times per batch: compiled once, like every other statement,
// instead of parsed on every call.
Result<void> SqliteSession::run_cached(std::string_view sql) {
  auto statement = connection_->prepare(sql);
  if (!statement) return std::unexpected(statement.error());
  return statement->run();
}

Result<void> SqliteSession::change_one_row(Statement& statement, std::string_view what) {
  PARLEY_CHECK(statement.run());
  if (connection_->changes() == 0) return fail(ErrorCode::not_found, "no such " + std::string(what));
  return {};
}

Result<void> SqliteSession::require_transaction(std::string_view operation) const {
  if (connection_->in_transaction()) return {};
  return fail(ErrorCode::internal, std::string(operation) + " needs a write transaction (begin_write)");
}

}  // namespace parley::store::sqlite
