#include "core/error.hpp"

namespace parley {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_json: return "malformed_json";
    case ErrorCode::invalid_utf8: return "invalid_utf8";
    case ErrorCode::invalid_payload: return "invalid_payload";
    case ErrorCode::unknown_op: return "unknown_op";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::invalid_credentials: return "invalid_credentials";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::username_taken: return "username_taken";
    case ErrorCode::last_admin: return "last_admin";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace parley
