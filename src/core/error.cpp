#include "core/error.hpp"

namespace parley {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_json: return "malformed_json";
    case ErrorCode::invalid_utf8: return "invalid_utf8";
    case ErrorCode::invalid_payload: return "invalid_payload";
    case ErrorCode::unknown_op: return "unknown_op";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::unsupported_media_type: return "unsupported_media_type";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::invalid_credentials: return "invalid_credentials";
    case ErrorCode::own_accounts_disabled: return "own_accounts_disabled";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::username_taken: return "username_taken";
    case ErrorCode::last_admin: return "last_admin";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
    case ErrorCode::network: return "network";
    case ErrorCode::tls_certificate: return "tls_certificate";
  }
  return "internal";
}

ErrorKind kind_of(ErrorCode code) {
  switch (code) {
    // A certificate may be renewed or the CA installed: the client keeps trying, as when offline.
    case ErrorCode::network:
    case ErrorCode::tls_certificate: return ErrorKind::network;
    case ErrorCode::unauthorized:
    case ErrorCode::invalid_credentials: return ErrorKind::unauthorized;
    case ErrorCode::forbidden:
    case ErrorCode::own_accounts_disabled: return ErrorKind::forbidden;
    case ErrorCode::not_found: return ErrorKind::not_found;
    case ErrorCode::malformed_json:
    case ErrorCode::invalid_utf8:
    case ErrorCode::invalid_payload:
    case ErrorCode::unknown_op:
    case ErrorCode::payload_too_large:
    case ErrorCode::unsupported_media_type:
    case ErrorCode::method_not_allowed: return ErrorKind::invalid;
    case ErrorCode::rate_limited: return ErrorKind::rate_limited;
    case ErrorCode::username_taken:
    case ErrorCode::last_admin:
    case ErrorCode::conflict: return ErrorKind::conflict;
    case ErrorCode::unavailable:
    case ErrorCode::internal: return ErrorKind::server;
  }
  return ErrorKind::server;
}

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::network: return "network";
    case ErrorKind::unauthorized: return "unauthorized";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::invalid: return "invalid";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::server: return "server";
  }
  return "server";
}

}  // namespace parley
