#include "store_backends.hpp"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/postgres_test_database.hpp"
#include "support/shared_postgres.hpp"

namespace parley::store::testing {
namespace {

// A fresh directory per test holds the database file and its WAL, and goes with the test.
class SqliteScratchDatabase final : public ScratchDatabase {
 public:
  explicit SqliteScratchDatabase(bool durable) : durable_(durable) {
    std::string pattern = (std::filesystem::temp_directory_path() / "parley-store-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    directory_ = pattern;
  }
  ~SqliteScratchDatabase() override {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  std::unique_ptr<Store> open_store() override {
    return make_sqlite_store(SqliteOptions{.path = (directory_ / "parley.db").string(), .durable = durable_});
  }

 private:
  bool durable_;
  std::filesystem::path directory_;
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
