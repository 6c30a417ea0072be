#pragma once
// The Store backends the contract suite runs against. Adding a backend is one entry in
// store_backends() (store_backends.cpp): every contract test then runs on it too.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace parley::store::testing {

// An empty database that lives as long as this object, created for one test.
class ScratchDatabase {
 public:
  virtual ~ScratchDatabase() = default;
  // A new Store on this database: open it twice to see what a restarted server sees.
  [[nodiscard]] virtual std::unique_ptr<Store> open_store() = 0;
};

struct StoreBackend {
  std::string name;  // a test-name suffix: letters, digits and '_'
  std::function<std::unique_ptr<ScratchDatabase>()> create_database;
};

[[nodiscard]] const std::vector<StoreBackend>& store_backends();

// gtest prints a failing test's parameter with this: the backend's name, not its bytes.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

// For INSTANTIATE_TEST_SUITE_P: names each instance after its backend.
inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) { return info.param.name; }

}  // namespace parley::store::testing
