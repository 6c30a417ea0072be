#include "store_backends.hpp"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store_postgres_server.hpp"

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

// A fresh database per test on the process's throwaway PostgreSQL server, dropped with the test.
class PostgresScratchDatabase final : public ScratchDatabase {
 public:
  PostgresScratchDatabase() : conninfo_(PostgresTestServer::instance().create_database()) {}
  ~PostgresScratchDatabase() override {
    PostgresTestServer::instance().drop_database(conninfo_.substr(conninfo_.rfind('=') + 1));
  }

  std::unique_ptr<Store> open_store() override { return make_postgres_store(PostgresOptions{.conninfo = conninfo_}); }

 private:
  std::string conninfo_;
};

}  // namespace

const std::vector<StoreBackend>& store_backends() {
  static const std::vector<StoreBackend> all{
      {"sqlite", [] { return std::make_unique<SqliteScratchDatabase>(true); }},
      // The relaxed durability setting opens the database differently; the contract is the same.
      {"sqlite_relaxed", [] { return std::make_unique<SqliteScratchDatabase>(false); }},
      // A server of its own for the test process (store_postgres_server.hpp); the suite fails,
      // rather than skips, where PostgreSQL is not installed.
      {"postgres", [] { return std::make_unique<PostgresScratchDatabase>(); }},
  };
  return all;
}

}  // namespace parley::store::testing
