#pragma once
// The error type lives in the public headers (the client SDK returns it too); this adds the
// propagation macros the implementation uses.
#include <optional>
#include <string_view>

#include <parley/error.hpp>

namespace parley {

// The code a wire name stands for (the inverse of to_string), or nothing for a name no code has.
[[nodiscard]] std::optional<ErrorCode> error_code_named(std::string_view name);

}  // namespace parley

// Early return of an error, as Abseil's ASSIGN_OR_RETURN: C++ has no `?` operator.
//   PARLEY_TRY(user, session.find_user(id));   // declares `user` as the value
//   PARLEY_CHECK(session.commit());           // for Result<void>
#define PARLEY_CONCAT_INNER(a, b) a##b
#define PARLEY_CONCAT(a, b) PARLEY_CONCAT_INNER(a, b)
#define PARLEY_TRY(name, expr)                                              \
  auto PARLEY_CONCAT(name, _result_) = (expr);                              \
  if (!PARLEY_CONCAT(name, _result_))                                       \
    return std::unexpected(std::move(PARLEY_CONCAT(name, _result_).error())); \
  auto name = std::move(*PARLEY_CONCAT(name, _result_))
#define PARLEY_CHECK(expr)                                                  \
  do {                                                                      \
    if (auto parley_check_ = (expr); !parley_check_)                        \
      return std::unexpected(std::move(parley_check_.error()));             \
  } while (false)
