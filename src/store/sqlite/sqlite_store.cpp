// The SQLite Store: migrations, sessions (one connection each) and checkpoints: in the
// background while it runs, and a full one at shutdown.
#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <mutex>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "sqlite/counted_heap.hpp"
#include "store/migration.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_session.hpp"
#include "store/sqlite/wal_checkpointer.hpp"

namespace parley::store {
namespace {

using sqlite::Connection;

[[nodiscard]] Result<bool> is_recorded(Connection& db, const Migration& migration) {
  PARLEY_TRY(recorded, db.prepare("SELECT COUNT(*) FROM schema_migrations WHERE name = ?1"));
  recorded.bind_all(migration.name);
  PARLEY_TRY(count, sqlite::fetch_int64(recorded));
  return count > 0;
}

// Applies `migration` unless it is recorded already. The check sits inside the write
// transaction, so that two processes starting at once cannot both apply it.
[[nodiscard]] Result<void> apply(Connection& db, const Migration& migration) {
  PARLEY_CHECK(db.execute("BEGIN IMMEDIATE"));
  auto applied = [&]() -> Result<void> {
    // The look-up's statement is reset before the migration runs: a migration that drops a
    // table is refused while any statement on the connection is still open.
    PARLEY_TRY(recorded, is_recorded(db, migration));
    if (recorded) return {};

    if (auto done = db.execute(std::string(migration.sql).c_str()); !done)
      return fail(ErrorCode::internal, "migration " + std::string(migration.name) + ": " + done.error().message);
    PARLEY_TRY(record, db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)"));
    record.bind_all(migration.name, now_ms());
    return record.run();
  }();
  if (!applied) {
    db.execute_quietly("ROLLBACK");
    return applied;
  }
  if (auto committed = db.execute("COMMIT"); !committed) {
    db.execute_quietly("ROLLBACK");
    return committed;
  }
  return {};
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteOptions options) : options_(std::move(options)) {}

  [[nodiscard]] Result<void> migrate() override {
    PARLEY_TRY(db, connect());
    PARLEY_CHECK(db->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)"));
    for (const Migration& migration : sqlite_migrations()) PARLEY_CHECK(apply(*db, migration));
    return {};
  }

  [[nodiscard]] Result<std::unique_ptr<StoreSession>> open_session() override {
    PARLEY_TRY(db, connect());
    {
      std::lock_guard lock(checkpointer_mutex_);
      if (!checkpointer_) {
        PARLEY_TRY(started, sqlite::WalCheckpointer::start(connection_options(), options_.checkpoint_pages));
        checkpointer_ = std::move(started);
      }
      checkpointer_->watch(*db);
    }
    return std::make_unique<sqlite::SqliteSession>(std::move(db));
  }

  // TRUNCATE copies the WAL into the database file and empties it, so that after shutdown the
  // database is one self-contained file that can be copied or backed up as it is. The
  // background checkpoints stop first: two at once would make this one wait.
  void checkpoint() noexcept override {
    try {
      {
        std::lock_guard lock(checkpointer_mutex_);
        checkpointer_.reset();
      }
      auto db = connect();
      if (db) (*db)->execute_quietly("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (...) {
      // Out of memory at shutdown: the WAL stays, and the next open replays it.
    }
  }

 private:
  [[nodiscard]] Connection::Options connection_options() const {
    return Connection::Options{.path = options_.path, .durable = options_.durable};
  }
  [[nodiscard]] Result<std::unique_ptr<Connection>> connect() const { return Connection::open(connection_options()); }

  SqliteOptions options_;
  std::mutex checkpointer_mutex_;  // sessions may be opened from several threads
  std::unique_ptr<sqlite::WalCheckpointer> checkpointer_;  // started with the first session
};

}  // namespace

std::unique_ptr<Store> make_sqlite_store(const SqliteOptions& options) {
  // The server's store is the process's main user of SQLite: its heap is counted without the
  // lock SQLite's own count takes at every allocation (sqlite/counted_heap.hpp).
  parley::sqlite::count_heap_without_lock();
  return std::make_unique<SqliteStore>(options);
}

}  // namespace parley::store

namespace parley::store {

std::int64_t sqlite_heap_bytes() { return parley::sqlite::heap_bytes(); }

}  // namespace parley::store
