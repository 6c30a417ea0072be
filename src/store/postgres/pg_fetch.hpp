#pragma once
// Small helpers over Rows for the shapes every query has: at most one row, many rows, or a count.
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "store/postgres/pg_connection.hpp"

namespace parley::store::postgres {

// `read(row)` returns Result<T> for one row.
template <class Read>
using RowType = typename std::invoke_result_t<Read&, const Row&>::value_type;

// The first row read by `read`, or nullopt when the query returned none.
template <class Read>
[[nodiscard]] Result<std::optional<RowType<Read>>> fetch_optional(const Rows& rows, Read read) {
  if (rows.size() == 0) return std::optional<RowType<Read>>();
  PARLEY_TRY(value, read(Row{&rows, 0}));
  return std::optional<RowType<Read>>(std::move(value));
}

// Every row, in the query's order.
template <class Read>
[[nodiscard]] Result<std::vector<RowType<Read>>> fetch_all(const Rows& rows, Read read) {
  std::vector<RowType<Read>> result;
  result.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    PARLEY_TRY(value, read(Row{&rows, i}));
    result.push_back(std::move(value));
  }
  return result;
}

// The single integer a query such as SELECT COUNT(*) returns.
[[nodiscard]] inline Result<std::int64_t> fetch_int64(const Rows& rows) {
  if (rows.size() == 0) return fail(ErrorCode::internal, "a query expected to return a number returned no row");
  return rows.int64(0, 0);
}

}  // namespace parley::store::postgres
