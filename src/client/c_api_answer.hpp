#pragma once
// The C API's answers: {"ok":true,"data":...} or {"ok":false,"error":{...}}, and the strings
// handed to the app, which it frees with parley_string_free (std::free).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

#include <parley/error.hpp>

namespace parley::c_api {

[[nodiscard]] boost::json::object error_json(const Error& e);

// The answer to a request: ok and data, or the error. `extra` is the request's "@extra"; as an
// update (`as_update`) the answer carries "type":"answer" and "@extra" always (null when the
// request had none); from execute only when the request had one.
[[nodiscard]] boost::json::object answer_json(Result<boost::json::value> result, const boost::json::value* extra,
                                              bool as_update);

// A malloc'ed copy, or NULL when memory is exhausted.
[[nodiscard]] char* copy_out(const std::string& text) noexcept;

// The answer to give when building the real one threw: short, and built without allocating
// much, so that it still comes when memory is short. NULL when even that fails.
[[nodiscard]] char* internal_error_out(const char* what) noexcept;

}  // namespace parley::c_api
