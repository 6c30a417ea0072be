#include "core/error.hpp"

#include <array>
#include <cstddef>

namespace parley {

namespace {

// Every error code once: its name on the wire and its kind. The server writes the names, the
// client SDK reads them back, and both take them from here.
struct ErrorCodeEntry {
  ErrorCode code;
  std::string_view name;
  ErrorKind kind;
};

constexpr std::array kErrorCodes{
    ErrorCodeEntry{ErrorCode::malformed_json, "malformed_json", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::invalid_utf8, "invalid_utf8", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::invalid_payload, "invalid_payload", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::unknown_op, "unknown_op", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::payload_too_large, "payload_too_large", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::unsupported_media_type, "unsupported_media_type", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::rate_limited, "rate_limited", ErrorKind::rate_limited},
    ErrorCodeEntry{ErrorCode::unauthorized, "unauthorized", ErrorKind::unauthorized},
    ErrorCodeEntry{ErrorCode::invalid_credentials, "invalid_credentials", ErrorKind::unauthorized},
    ErrorCodeEntry{ErrorCode::forbidden, "forbidden", ErrorKind::forbidden},
    ErrorCodeEntry{ErrorCode::not_found, "not_found", ErrorKind::not_found},
    ErrorCodeEntry{ErrorCode::username_taken, "username_taken", ErrorKind::conflict},
    ErrorCodeEntry{ErrorCode::last_admin, "last_admin", ErrorKind::conflict},
    ErrorCodeEntry{ErrorCode::conflict, "conflict", ErrorKind::conflict},
    ErrorCodeEntry{ErrorCode::method_not_allowed, "method_not_allowed", ErrorKind::invalid},
    ErrorCodeEntry{ErrorCode::unavailable, "unavailable", ErrorKind::server},
    ErrorCodeEntry{ErrorCode::internal, "internal", ErrorKind::server},
    ErrorCodeEntry{ErrorCode::own_accounts_disabled, "own_accounts_disabled", ErrorKind::forbidden},
    // A certificate may be renewed or the CA installed: the client keeps trying, as when offline.
    ErrorCodeEntry{ErrorCode::network, "network", ErrorKind::network},
    ErrorCodeEntry{ErrorCode::tls_certificate, "tls_certificate", ErrorKind::network},
};

// The table is indexed by the enum: an entry out of place or missing fails the build.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kErrorCodes.size(); ++i)
    if (static_cast<std::size_t>(kErrorCodes[i].code) != i) return false;
  return true;
}
static_assert(in_enum_order(), "kErrorCodes must list every ErrorCode once, in the enum's order");
static_assert(kErrorCodes.back().code == ErrorCode::tls_certificate, "a new ErrorCode needs its entry here");

const ErrorCodeEntry& entry_of(ErrorCode code) {
  const auto index = static_cast<std::size_t>(code);
  return index < kErrorCodes.size() ? kErrorCodes[index] : kErrorCodes[static_cast<std::size_t>(ErrorCode::internal)];
}

}  // namespace

std::string_view to_string(ErrorCode code) { return entry_of(code).name; }

ErrorKind kind_of(ErrorCode code) { return entry_of(code).kind; }

std::optional<ErrorCode> error_code_named(std::string_view name) {
  for (const auto& entry : kErrorCodes)
    if (entry.name == name) return entry.code;
  return std::nullopt;
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
