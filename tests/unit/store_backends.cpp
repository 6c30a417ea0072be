#include "store_backends.hpp"

#include <string>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/postgres_test_database.hpp"
#include "support/scratch_dir.hpp"
#include "support/shared_postgres.hpp"

namespace parley::store::testing {
namespace {

// A fresh directory per test holds the database file and its WAL, and goes with the test.
class SqliteScratchDatabase final : public ScratchDatabase {
 public:
  explicit SqliteScratchDatabase(bool durable) : durable_(durable) {}

  std::unique_ptr<Store> open_store() override {
    return make_sqlite_store(SqliteOptions{.path = directory_.sub("parley.db").string(), .durable = durable_});
  }

 private:
  bool durable_;
  parley::test::ScratchDir directory_;
};

// A fresh database per test on the run's throwaway PostgreSQL server (or the process's own when
// the run shares none: shared_postgres.hpp), dropped with the test.
class PostgresScratchDatabase final : public ScratchDatabase {
 public:
  PostgresScratchDatabase() : database_(parley::test::postgres_admin_uri()) {}

  std::unique_ptr<Store> open_store() override {
    return make_postgres_store(PostgresOptions{.conninfo = database_.uri()});
  }

 private:
  parley::test::PostgresTestDatabase database_;
};

}  // namespace

const std::vector<StoreBackend>& store_backends() {
  static const std::vector<StoreBackend> all{
      {"sqlite", [] { return std::make_unique<SqliteScratchDatabase>(true); }},
      // The relaxed durability setting opens the database differently; the contract is the same.
      {"sqlite_relaxed", [] { return std::make_unique<SqliteScratchDatabase>(false); }},
      // The run's throwaway server (shared_postgres.hpp); the suite fails, rather than skips,
      // where PostgreSQL is not installed.
      {"postgres", [] { return std::make_unique<PostgresScratchDatabase>(); }},
  };
  return all;
}

}  // namespace parley::store::testing
