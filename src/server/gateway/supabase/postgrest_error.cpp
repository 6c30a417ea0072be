#include "server/gateway/supabase/postgrest_error.hpp"

#include "protocol/frames.hpp"

namespace parley::gateway::supabase {

namespace json = boost::json;

namespace {

json::value text_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::value(*text);
}

// The code an app written for Supabase would meet for the same situation there.
std::string postgrest_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::unauthorized:
    case ErrorCode::invalid_credentials: return "PGRST301";  // a JWT PostgREST cannot accept
    // Row-level security is how a Supabase app keeps users out of rooms that are not theirs,
    // and 42501 is what it answers; Parley's not_found (a room the caller is not in, told apart
    // from one that does not exist by no one) is the same refusal.
    case ErrorCode::forbidden:
    case ErrorCode::not_found: return "42501";
    case ErrorCode::malformed_json:
    case ErrorCode::invalid_utf8: return "PGRST102";  // an unreadable body
    // A value the server's rules refuse: PostgreSQL's check_violation.
    case ErrorCode::invalid_payload: return "23514";
    case ErrorCode::conflict:
    case ErrorCode::username_taken:
    case ErrorCode::last_admin: return "23505";
    case ErrorCode::method_not_allowed: return "PGRST117";
    // PostgreSQL's "program limit exceeded" class: no PostgREST code fits better.
    case ErrorCode::payload_too_large: return "54000";
    case ErrorCode::rate_limited: return "53400";
    case ErrorCode::unavailable: return "PGRST001";  // PostgREST's "database unreachable"
    default: return "XX000";                          // PostgreSQL's internal_error
  }
}

}  // namespace

json::object PostgrestError::body() const {
  return json::object{{"code", code}, {"details", text_or_null(details)}, {"hint", text_or_null(hint)}, {"message", message}};
}

PostgrestError bad_query(std::string message, std::optional<std::string> hint) {
  return PostgrestError{.status = 400, .code = "PGRST100", .message = std::move(message), .hint = std::move(hint)};
}

PostgrestError unknown_column(std::string_view table, std::string_view column) {
  return PostgrestError{.status = 400,
                        .code = "42703",
                        .message = "column " + std::string(table) + "." + std::string(column) + " does not exist"};
}

PostgrestError from_parley(const Error& error) {
  PostgrestError out{.status = protocol::http_status(error.code),
                     .code = postgrest_code(error.code),
                     .message = error.message,
                     .details = std::string(to_string(error.code)),
                     .retry_after_ms = error.retry_after_ms};
  // A room the caller is not in is refused as row-level security refuses it, with Parley's
  // reason kept in the message and its code in details.
  if (out.code == "42501") {
    out.status = 403;
    out.hint = "Parley serves only the rooms the caller is a member of";
  }
  return out;
}

}  // namespace parley::gateway::supabase
