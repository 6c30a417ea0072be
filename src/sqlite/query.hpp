#pragma once
// Small helpers over Statement for the shapes every query has: at most one row, many rows,
// or a count.
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "sqlite/connection.hpp"

namespace parley::sqlite {

// `read(statement)` returns Result<T> for the current row.
template <class Read>
using RowType = typename std::invoke_result_t<Read&, const Statement&>::value_type;

// The first row read by `read`, or nullopt when the query returns none.
template <class Read>
[[nodiscard]] Result<std::optional<RowType<Read>>> fetch_optional(Statement& statement, Read read) {
  PARLEY_TRY(has_row, statement.step());
  if (!has_row) return std::optional<RowType<Read>>();
  PARLEY_TRY(value, read(std::as_const(statement)));
  return std::optional<RowType<Read>>(std::move(value));
}

// Every row, in the query's order.
template <class Read>
[[nodiscard]] Result<std::vector<RowType<Read>>> fetch_all(Statement& statement, Read read) {
  std::vector<RowType<Read>> rows;
  for (;;) {
    PARLEY_TRY(has_row, statement.step());
    if (!has_row) return rows;
    PARLEY_TRY(value, read(std::as_const(statement)));
    rows.push_back(std::move(value));
  }
}

// The single integer a query such as SELECT COUNT(*) returns.
[[nodiscard]] inline Result<std::int64_t> fetch_int64(Statement& statement) {
  PARLEY_TRY(has_row, statement.step());
  if (!has_row) return fail(ErrorCode::internal, "a query expected to return a number returned no row");
  return statement.int64(0);
}

}  // namespace parley::sqlite
