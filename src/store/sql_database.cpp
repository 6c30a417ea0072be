#include "store/sql_database.hpp"

#include <cctype>

namespace parley::store {

std::string sqlite_placeholders(std::string_view sql) {
  std::string out(sql);
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  return out;
}

Result<void> sql_execute(SqlDatabase& db, std::string_view sql, const std::vector<SqlValue>& params) {
  return db.run(sql, params, [](const SqlRow&) -> Result<void> { return {}; });
}

Result<std::int64_t> sql_count_rows(SqlDatabase& db, std::string_view sql, const std::vector<SqlValue>& params) {
  std::int64_t count = 0;
  PARLEY_CHECK(db.run(sql, params, [&count](const SqlRow&) -> Result<void> {
    ++count;
    return {};
  }));
  return count;
}

}  // namespace parley::store
