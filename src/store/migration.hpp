#pragma once
#include <string_view>
#include <vector>

namespace parley::store {

// One schema step, applied once, in name order, inside a transaction.
struct Migration {
  std::string_view name;  // e.g. "001_init"
  std::string_view sql;
};

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();

}  // namespace parley::store
