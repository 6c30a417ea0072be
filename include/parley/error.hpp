#pragma once
// Errors are values: a stable code (the same on the wire, in the server and in the client SDK)
// and a message a person can read.
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace parley {

enum class ErrorCode {
  malformed_json,     // the frame or body is not JSON
  invalid_utf8,       // the bytes are not valid UTF-8
  invalid_payload,    // a field is missing, of the wrong type or out of range
  unknown_op,         // a WebSocket frame names an operation that does not exist
  payload_too_large,  // a frame or body over the configured limit
  unsupported_media_type, // an upload's bytes are not of the type it declares, or not allowed as it
  rate_limited,       // the connection's request budget is spent; slow down
  unauthorized,       // no valid access token (missing, malformed, expired or revoked)
  invalid_credentials,// wrong username or password, or an unknown refresh token
  forbidden,          // the caller is a member but its role does not allow the operation
  not_found,          // no such thing, or one the caller may not know exists
  username_taken,     // registration with a username that is already in use
  last_admin,         // the change would leave a group without an admin
  conflict,           // the request contradicts the current state in another way
  method_not_allowed, // an HTTP route exists but not with this method
  unavailable,        // the server is overloaded or shutting down; retry later
  internal,           // a fault inside the server; the request may be retried
  own_accounts_disabled, // the server's own accounts are switched off: sign in with the app's identity provider
  network,            // client side: the server could not be reached, or the connection broke
  tls_certificate,    // client side: the server's certificate is not trusted (unknown CA, wrong name, expired)
};

// The kind of an error, for deciding what to do about it: retry, sign in, tell the user, fix
// the request.
enum class ErrorKind { network, unauthorized, forbidden, not_found, invalid, rate_limited, conflict, server };

[[nodiscard]] ErrorKind kind_of(ErrorCode code);
[[nodiscard]] std::string_view to_string(ErrorKind kind);

[[nodiscard]] std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::int64_t retry_after_ms = 0;  // for rate_limited: when the budget allows another request

  [[nodiscard]] ErrorKind kind() const { return kind_of(code); }
};

template <class T>
using Result = std::expected<T, Error>;

// `return fail(ErrorCode::not_found, "no such room");` inside a function returning Result<T>.
[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace parley
