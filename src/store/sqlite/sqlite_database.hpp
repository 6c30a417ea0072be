#pragma once
// The shared statements (store/sql_database.hpp) on a SQLite connection.
#include "store/sql_database.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

class SqliteDatabase final : public SqlDatabase {
 public:
  explicit SqliteDatabase(Connection& connection) : connection_(connection) {}
  [[nodiscard]] Result<void> run(std::string_view sql, std::span<const SqlValue> params,
                                 const RowVisitor& visit) override;

 private:
  Connection& connection_;
};

}  // namespace parley::store::sqlite
