// A migrated SQLite store in a directory of its own, removed with it: for unit tests of the
// services that need a real store (unit tests do not link tests/support).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/sqlite/sqlite_store.hpp"

namespace parley::testing {

class ScratchSqliteStore {
 public:
  explicit ScratchSqliteStore(const std::string& name) {
    std::string pattern = (std::filesystem::temp_directory_path() / (name + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    store_ = store::make_sqlite_store({.path = (dir_ / "parley.db").string()});
    if (auto migrated = store_->migrate(); !migrated) throw std::runtime_error(migrated.error().message);
  }
  ~ScratchSqliteStore() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScratchSqliteStore(const ScratchSqliteStore&) = delete;
  ScratchSqliteStore& operator=(const ScratchSqliteStore&) = delete;

  store::Store& store() { return *store_; }
  std::unique_ptr<store::StoreSession> open_session() {
    auto session = store_->open_session();
    if (!session) throw std::runtime_error(session.error().message);
    return std::move(*session);
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace parley::testing
