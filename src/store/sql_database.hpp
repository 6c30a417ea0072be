#pragma once
// One body of SQL for both backends. Where SQLite and PostgreSQL agree on a statement (most
// plain SELECT, INSERT, UPDATE and DELETE, with RETURNING and ON CONFLICT), the store's code is
// written once against SqlDatabase, with PostgreSQL's $1, $2 ... placeholders; each session
// runs it on its own connection. Where they differ (how a seq is taken, search), each backend
// keeps its own statements behind the StoreSession interface.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace parley::store {

// A bound parameter: NULL, an integer or a text.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;

// One row of a result, read by column index as the row readers of row_mapping.hpp expect.
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  [[nodiscard]] virtual bool is_null(int column) const = 0;
  [[nodiscard]] virtual std::int64_t int64(int column) const = 0;
  [[nodiscard]] virtual std::optional<std::int64_t> optional_int64(int column) const = 0;
  [[nodiscard]] virtual std::string text(int column) const = 0;  // NULL reads as ""
  [[nodiscard]] virtual std::optional<std::string> optional_text(int column) const = 0;
};

class SqlDatabase {
 public:
  using RowVisitor = std::function<Result<void>(const SqlRow&)>;
  virtual ~SqlDatabase() = default;
  // Runs `sql` (placeholders $1, $2 ...) with `params`, calling `visit` on each row it returns,
  // in order; the first error ends the run.
  [[nodiscard]] virtual Result<void> run(std::string_view sql, std::span<const SqlValue> params,
                                         const RowVisitor& visit) = 0;
};

// PostgreSQL's numbered placeholders ($1) as SQLite's (?1). The shared statements hold no
// string literal with a dollar sign, so every $ followed by a digit is a placeholder.
[[nodiscard]] std::string sqlite_placeholders(std::string_view sql);

// --- parameters ----------------------------------------------------------------------------
inline SqlValue sql_value(std::int64_t v) { return v; }
inline SqlValue sql_value(int v) { return static_cast<std::int64_t>(v); }
inline SqlValue sql_value(std::string_view v) { return std::string(v); }
inline SqlValue sql_value(const std::string& v) { return v; }
inline SqlValue sql_value(const char* v) { return std::string(v); }
inline SqlValue sql_value(std::nullopt_t) { return std::monostate{}; }
template <class Tag>
SqlValue sql_value(Id<Tag> id) {
  return id.value;
}
template <class T>
SqlValue sql_value(const std::optional<T>& v) {
  return v ? sql_value(*v) : SqlValue{};
}

template <class... Args>
std::vector<SqlValue> sql_params(const Args&... args) {
  return {sql_value(args)...};
}

// --- the shapes of a query ----------------------------------------------------------------
// Runs a statement whose rows (if any) are not wanted.
[[nodiscard]] Result<void> sql_execute(SqlDatabase& db, std::string_view sql, const std::vector<SqlValue>& params);

// Every row, read by `read` (a function of const SqlRow& returning T or Result<T>).
template <class T, class Read>
[[nodiscard]] Result<std::vector<T>> sql_all(SqlDatabase& db, std::string_view sql,
                                             const std::vector<SqlValue>& params, Read read) {
  std::vector<T> rows;
  PARLEY_CHECK(db.run(sql, params, [&](const SqlRow& row) -> Result<void> {
    Result<T> value = read(row);
    if (!value) return std::unexpected(std::move(value.error()));
    rows.push_back(std::move(*value));
    return {};
  }));
  return rows;
}

// The first row, or nullopt when there is none.
template <class T, class Read>
[[nodiscard]] Result<std::optional<T>> sql_optional(SqlDatabase& db, std::string_view sql,
                                                    const std::vector<SqlValue>& params, Read read) {
  PARLEY_TRY(rows, sql_all<T>(db, sql, params, std::move(read)));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows.front()));
}

// How many rows a statement returned: with RETURNING, how many it changed.
[[nodiscard]] Result<std::int64_t> sql_count_rows(SqlDatabase& db, std::string_view sql,
                                                  const std::vector<SqlValue>& params);

}  // namespace parley::store
