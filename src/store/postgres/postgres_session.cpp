// Transactions, and the helpers the topic files share.
#include "store/postgres/postgres_session.hpp"

#include <string>
#include <utility>

namespace parley::store::postgres {

PostgresSession::PostgresSession(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

// The transaction's own statements (BEGIN, the savepoints around each operation) are queued
// on the connection and go with the next statement that reads or writes rows, in one round
// trip (libpq's pipeline mode): an operation of a batch costs the round trips of its own
// statements only. docs/operations.md has what it bought.
Result<void> PostgresSession::begin_write() {
  // READ COMMITTED is enough: the one read-then-write that must not race, the seq allocation, is
  // a single UPDATE ... RETURNING that row-locks the room and re-reads it once the lock is had.
  connection_->discard_deferred();
  connection_->defer("BEGIN");
  return {};
}

Result<void> PostgresSession::commit() {
  if (connection_->broken()) return fail(ErrorCode::unavailable, "commit: the transaction was lost with its connection");
  switch (connection_->transaction()) {
    case Connection::Transaction::failed:
      // A failed statement whose savepoint is rolled back in the queue is not a failed
      // transaction; one whose is not, is. COMMIT tells them apart below.
      if (connection_->has_deferred()) break;
      connection_->execute_quietly("ROLLBACK");
      return fail(ErrorCode::internal, "commit: a statement of the transaction failed; it was rolled back");
    case Connection::Transaction::idle:
      return fail(ErrorCode::unavailable, "commit: the transaction was lost with its connection");
    case Connection::Transaction::active:
      break;
  }
  // On failure the transaction is over: PostgreSQL ends it whatever the outcome. COMMIT of a
  // failed transaction "succeeds" as a ROLLBACK, which kept nothing.
  PARLEY_TRY(committed, connection_->execute("COMMIT"));
  if (committed.command_tag() == "ROLLBACK")
    return fail(ErrorCode::internal, "commit: a statement of the transaction failed; it was rolled back");
  return {};
}

void PostgresSession::rollback() noexcept {
  connection_->discard_deferred();
  if (!connection_->broken() && connection_->transaction() != Connection::Transaction::idle)
    connection_->execute_quietly("ROLLBACK");
}

Result<void> PostgresSession::begin_read_snapshot() {
  // Queued like BEGIN of a write: it goes with the first read, whose statement takes the
  // snapshot. rollback() ends it.
  connection_->discard_deferred();
  connection_->defer("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  return {};
}

// One fixed name, as in the SQLite backend: savepoints nest one level in a batch (one per
// operation), and a nested SAVEPOINT of the same name pairs with the innermost RELEASE.
Result<void> PostgresSession::savepoint() {
  PARLEY_CHECK(require_transaction("savepoint"));
  connection_->defer("SAVEPOINT operation");
  return {};
}

Result<void> PostgresSession::release_savepoint() {
  PARLEY_CHECK(require_transaction("release_savepoint"));
  // An operation that ran no statement leaves nothing to release: both go from the queue.
  if (!connection_->take_back_deferred("SAVEPOINT operation")) connection_->defer("RELEASE SAVEPOINT operation");
  return {};
}

void PostgresSession::rollback_to_savepoint() noexcept {
  if (connection_->take_back_deferred("SAVEPOINT operation")) return;
  // ROLLBACK TO also clears a failed statement's error state; it leaves the savepoint open, and
  // RELEASE ends it, so that it pairs like release.
  if (connection_->transaction() == Connection::Transaction::idle) return;
  connection_->defer("ROLLBACK TO SAVEPOINT operation");
  connection_->defer("RELEASE SAVEPOINT operation");
}

Result<void> PostgresSession::change_one_row(const std::string& sql, const Params& params, std::string_view what) {
  PARLEY_TRY(changed, connection_->query(sql, params));
  if (changed.affected() == 0) return fail(ErrorCode::not_found, "no such " + std::string(what));
  return {};
}

Result<void> PostgresSession::require_transaction(std::string_view operation) const {
  if (connection_->transaction() != Connection::Transaction::idle) return {};
  return fail(ErrorCode::internal, std::string(operation) + " needs a write transaction (begin_write)");
}

}  // namespace parley::store::postgres
