// The PostgreSQL Store: migrations, and sessions (one connection each).
#include "store/postgres/postgres_store.hpp"

#include <string>
#include <utility>

#include "core/clock.hpp"
#include "store/migration.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store {
namespace {

using postgres::Connection;
using postgres::Params;

// Any fixed number works; it names the lock that migrations take, which nothing else takes.
constexpr std::int64_t kMigrationLockKey = 0x7061726c6579;  // "parley"

// Applies `migration` unless it is recorded already. Every node that starts runs this; the
// advisory lock, held until the transaction ends, makes them take turns, so that the check
// and the apply cannot interleave. It also guards the CREATE TABLE IF NOT EXISTS of the
// bookkeeping table, which is not safe against itself when run concurrently.
[[nodiscard]] Result<void> apply(Connection& db, const Migration& migration) {
  PARLEY_TRY(begun, db.execute("BEGIN"));
  auto applied = [&]() -> Result<void> {
    PARLEY_TRY(locked, db.query("SELECT pg_advisory_xact_lock($1)", Params(kMigrationLockKey)));
    PARLEY_TRY(created, db.execute("CREATE TABLE IF NOT EXISTS schema_migrations"
                                   " (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"));
    PARLEY_TRY(recorded, db.query("SELECT COUNT(*) FROM schema_migrations WHERE name = $1", Params(migration.name)));
    PARLEY_TRY(count, postgres::fetch_int64(recorded));
    if (count > 0) return {};

    if (auto done = db.execute(std::string(migration.sql).c_str()); !done)
      return fail(ErrorCode::internal, "migration " + std::string(migration.name) + ": " + done.error().message);
    PARLEY_TRY(record, db.query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
                                Params(migration.name, now_ms())));
    return {};
  }();
  if (!applied) {
    db.execute_quietly("ROLLBACK");
    return applied;
  }
  if (auto committed = db.execute("COMMIT"); !committed) return std::unexpected(std::move(committed.error()));
  return {};
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(PostgresOptions options) : options_(std::move(options)) {}

  [[nodiscard]] Result<void> migrate() override {
    PARLEY_TRY(db, connect());
    for (const Migration& migration : postgres_migrations()) PARLEY_CHECK(apply(*db, migration));
    return {};
  }

  [[nodiscard]] Result<std::unique_ptr<StoreSession>> open_session() override {
    PARLEY_TRY(db, connect());
    return std::make_unique<postgres::PostgresSession>(std::move(db));
  }

  // Nothing to do at shutdown: PostgreSQL owns its files.

 private:
  [[nodiscard]] Result<std::unique_ptr<Connection>> connect() const {
    PARLEY_TRY(db, Connection::open(options_.conninfo));
    if (!options_.durable) {
      PARLEY_TRY(relaxed, db->execute("SET synchronous_commit = off"));
    }
    return db;
  }

  PostgresOptions options_;
};

}  // namespace

std::unique_ptr<Store> make_postgres_store(const PostgresOptions& options) {
  return std::make_unique<PostgresStore>(options);
}

}  // namespace parley::store
