#pragma once
// A JWT taken apart, not yet trusted: its header's algorithm and key id, its claims, the bytes
// the signature covers and the signature. Checking the signature and the claims is the job of
// jwt_signature and app_token_claims.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::service {

struct JwtParts {
  std::string alg;  // the header's "alg", as written
  std::string kid;  // the header's "kid", or empty
  boost::json::object claims;
  std::string_view signing_input;  // "header.payload", a view into the token
  std::string signature;           // the decoded signature bytes
};

// The largest token read: a provider's token with many claims stays well under it, and nothing
// larger is decoded at all.
inline constexpr std::size_t kMaxJwtBytes = 8192;

// unauthorized, saying what is wrong, when `token` is not three base64url parts of which the
// first two are JSON objects.
[[nodiscard]] Result<JwtParts> parse_jwt(std::string_view token);

// Unpadded base64url (RFC 7515), as JWTs and JWKs write bytes; nullopt when `text` is not that.
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

}  // namespace parley::service
