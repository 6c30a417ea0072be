#pragma once
// An error as PostgREST writes it, {"code","details","hint","message"} with its HTTP status:
// supabase-js hands this object to the app as `error`, and apps test `error.code`. Parley's
// own errors are translated here, once, for every REST route (docs/supabase.md, "Errors").
#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::gateway::supabase {

struct PostgrestError {
  unsigned status = 400;
  std::string code;  // PostgREST's PGRSTnnn, or a PostgreSQL SQLSTATE such as 42501
  std::string message;
  std::optional<std::string> details;
  std::optional<std::string> hint;
  std::int64_t retry_after_ms = 0;  // rate limits: becomes Retry-After

  [[nodiscard]] boost::json::object body() const;
};

template <class T>
using Rest = std::expected<T, PostgrestError>;

// 400 PGRST100: a query parameter or header that cannot be read, or one outside the subset.
[[nodiscard]] PostgrestError bad_query(std::string message, std::optional<std::string> hint = std::nullopt);
// 400 42703: a column the table does not have, worded as PostgreSQL words it.
[[nodiscard]] PostgrestError unknown_column(std::string_view table, std::string_view column);

// One of Parley's errors (core/error.hpp). Its stable code goes into `details`, so that an app
// may still tell not_found from forbidden; the status follows Parley's own HTTP mapping.
[[nodiscard]] PostgrestError from_parley(const Error& error);

}  // namespace parley::gateway::supabase
