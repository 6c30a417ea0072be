#include "store_backends.hpp"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include "store/sqlite/sqlite_store.hpp"

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

}  // namespace

const std::vector<StoreBackend>& store_backends() {
  static const std::vector<StoreBackend> all{
      {"sqlite", [] { return std::make_unique<SqliteScratchDatabase>(true); }},
      // The relaxed durability setting opens the database differently; the contract is the same.
      {"sqlite_relaxed", [] { return std::make_unique<SqliteScratchDatabase>(false); }},
  };
  return all;
}

}  // namespace parley::store::testing
