#pragma once
// The shared statements (store/sql_database.hpp) on a PostgreSQL connection.
#include "store/postgres/pg_connection.hpp"
#include "store/sql_database.hpp"

namespace parley::store::postgres {

class PostgresDatabase final : public SqlDatabase {
 public:
  explicit PostgresDatabase(Connection& connection) : connection_(connection) {}
  [[nodiscard]] Result<void> run(std::string_view sql, std::span<const SqlValue> params,
                                 const RowVisitor& visit) override;

 private:
  Connection& connection_;
};

}  // namespace parley::store::postgres
