// The C API's entry points. No exception crosses them: each is caught here and becomes an
// error answer (or NULL, or -1, where the function has no answer to give).
#include <parley/parley.h>

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <exception>
#include <string>

#include "client/c_api_answer.hpp"
#include "client/c_api_handle.hpp"
#include "client/log.hpp"

namespace json = boost::json;
using namespace parley;

namespace {

#define PARLEY_STRINGIFY_INNER(x) #x
#define PARLEY_STRINGIFY(x) PARLEY_STRINGIFY_INNER(x)
constexpr const char kVersion[] = PARLEY_STRINGIFY(PARLEY_VERSION_MAJOR) "." PARLEY_STRINGIFY(
    PARLEY_VERSION_MINOR) "." PARLEY_STRINGIFY(PARLEY_VERSION_PATCH);

const char* what_of(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

char* no_client_answer(const char* request_json) {
  // The request's @extra is still echoed, so an app that matches answers by it is not confused.
  auto request = c_api::parse_request(request_json);
  const json::value* extra = request.extra ? &*request.extra : nullptr;
  return c_api::copy_out(json::serialize(
      c_api::answer_json(fail(ErrorCode::invalid_payload, "the client handle is NULL"), extra, false)));
}

}  // namespace

extern "C" {

const char* parley_version(void) { return kVersion; }

void parley_set_log_callback(parley_log_callback callback, int max_level, void* user_data) {
  try {
    if (!callback || max_level < PARLEY_LOG_ERROR) return client::set_log_sink({}, client::LogLevel::error);
    const auto level = static_cast<client::LogLevel>(std::min(max_level, static_cast<int>(PARLEY_LOG_DEBUG)));
    client::set_log_sink(
        [callback, user_data](client::LogLevel at, std::string_view message) {
          const std::string text(message);  // NUL-terminated for C
          callback(static_cast<int>(at), text.c_str(), user_data);
        },
        level);
  } catch (...) {
    // Only memory can be short here; logging then stays as it was.
  }
}

parley_client* parley_client_open(const char* options_json, char** error_json) {
  if (error_json) *error_json = nullptr;
  auto fail_with = [&](const Error& e) -> parley_client* {
    if (error_json) *error_json = c_api::copy_out(json::serialize(c_api::error_json(e)));
    return nullptr;
  };
  try {
    auto options = c_api::parse_open_options(options_json);
    if (!options) return fail_with(options.error());
    auto opened = parley_client::open(std::move(*options));
    if (!opened) return fail_with(opened.error());
    client::log(client::LogLevel::info, "client opened");
    return opened->release();
  } catch (...) {
    const char* what = what_of(std::current_exception());
    try {
      return fail_with(Error{ErrorCode::internal, std::string("cannot open the client: ") + what});
    } catch (...) {
      return nullptr;
    }
  }
}

int parley_client_send(parley_client* handle, const char* request_json) {
  if (!handle || !request_json) return -1;
  try {
    handle->send(request_json);
    return 0;
  } catch (...) {
    // Memory ran short before the request was queued or answered: nothing was queued.
    return -1;
  }
}

char* parley_client_execute(parley_client* handle, const char* request_json) {
  try {
    if (!handle) return no_client_answer(request_json);
    return c_api::copy_out(handle->execute(request_json));
  } catch (...) {
    return c_api::internal_error_out(what_of(std::current_exception()));
  }
}

char* parley_client_receive(parley_client* handle, double timeout_seconds) {
  if (!handle) return nullptr;
  try {
    auto next = handle->receive(timeout_seconds);
    return next ? c_api::copy_out(*next) : nullptr;
  } catch (...) {
    return nullptr;
  }
}

void parley_string_free(char* text) { std::free(text); }

void parley_client_close(parley_client* handle) { delete handle; }

}  // extern "C"
