// Transactions, and the helpers the topic files share.
#include "store/postgres/postgres_session.hpp"

#include <string>
#include <utility>

namespace parley::store::postgres {

PostgresSession::PostgresSession(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

Result<void> PostgresSession::begin_write() {
  // READ COMMITTED is enough: the one read-then-write that must not race, the seq allocation, is
  // a single UPDATE ... RETURNING that row-locks the room and re-reads it once the lock is had.
  PARLEY_TRY(begun, connection_->execute("BEGIN"));
  return {};
}

Result<void> PostgresSession::commit() {
  // COMMIT of a failed transaction "succeeds" as a ROLLBACK, and outside a transaction (the
  // connection was lost and reset) it is a no-op with a warning: neither kept the writes.
  switch (connection_->transaction()) {
    case Connection::Transaction::failed:
      connection_->execute_quietly("ROLLBACK");
      return fail(ErrorCode::internal, "commit: a statement of the transaction failed; it was rolled back");
    case Connection::Transaction::idle:
      return fail(ErrorCode::unavailable, "commit: the transaction was lost with its connection");
    case Connection::Transaction::active:
      break;
  }
  // On failure the transaction is over: PostgreSQL ends it whatever the outcome.
  PARLEY_TRY(committed, connection_->execute("COMMIT"));
  return {};
}

void PostgresSession::rollback() noexcept {
  if (connection_->transaction() != Connection::Transaction::idle) connection_->execute_quietly("ROLLBACK");
}

// One fixed name, as in the SQLite backend: savepoints nest one level in a batch (one per
// operation), and a nested SAVEPOINT of the same name pairs with the innermost RELEASE.
Result<void> PostgresSession::savepoint() {
  PARLEY_CHECK(require_transaction("savepoint"));
  PARLEY_TRY(done, connection_->execute("SAVEPOINT operation"));
  return {};
}

Result<void> PostgresSession::release_savepoint() {
  PARLEY_CHECK(require_transaction("release_savepoint"));
  PARLEY_TRY(done, connection_->execute("RELEASE SAVEPOINT operation"));
  return {};
}

void PostgresSession::rollback_to_savepoint() noexcept {
  // ROLLBACK TO also clears a failed statement's error state; it leaves the savepoint open, and
  // RELEASE ends it, so that it pairs like release.
  if (connection_->transaction() != Connection::Transaction::idle)
    connection_->execute_quietly("ROLLBACK TO SAVEPOINT operation; RELEASE SAVEPOINT operation");
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
