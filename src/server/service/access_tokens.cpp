#include "server/service/access_tokens.hpp"

#include <jwt.h>

#include <cstdlib>
#include <memory>

#include "core/clock.hpp"
#include "server/service/jwt_parts.hpp"

namespace parley::service {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

constexpr const char* kIssuer = "parley";

}  // namespace

AccessTokens::AccessTokens(std::string secret, std::chrono::seconds ttl) : secret_(std::move(secret)), ttl_(ttl) {}

std::string AccessTokens::issue(UserId user, std::string_view login) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return {};
  JwtPtr token(raw);
  const long now = static_cast<long>(now_ms() / 1000);
  jwt_add_grant(token.get(), "iss", kIssuer);
  jwt_add_grant(token.get(), "sub", std::to_string(user.value).c_str());
  jwt_add_grant(token.get(), "sid", std::string(login).c_str());
  jwt_add_grant_int(token.get(), "iat", now);
  jwt_add_grant_int(token.get(), "exp", now + static_cast<long>(ttl_.count()));
  jwt_set_alg(token.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
              static_cast<int>(secret_.size()));
  char* encoded = jwt_encode_str(token.get());
  if (!encoded) return {};
  std::string out(encoded);
  free(encoded);  // libjwt 1.10 allocates the string with malloc
  return out;
}

bool AccessTokens::issued_here(std::string_view token) {
  auto parts = parse_jwt(token);
  if (!parts) return false;
  const auto* issuer = parts->claims.if_contains("iss");
  return issuer && issuer->is_string() && issuer->get_string() == kIssuer;
}

Result<Identity> AccessTokens::verify(std::string_view token_text, Expiry expiry) const {
  constexpr std::size_t kMaxTokenBytes = 4096;
  if (token_text.empty() || token_text.size() > kMaxTokenBytes)
    return fail(ErrorCode::unauthorized, "an access token is required");
  std::string text(token_text);
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0 ||
      !raw)
    return fail(ErrorCode::unauthorized, "the access token is invalid");
  JwtPtr token(raw);
  // Only our own algorithm: a token that says "none" or another algorithm is refused.
  if (jwt_get_alg(token.get()) != JWT_ALG_HS256) return fail(ErrorCode::unauthorized, "the access token is invalid");
  const char* issuer = jwt_get_grant(token.get(), "iss");
  if (!issuer || std::string_view(issuer) != kIssuer) return fail(ErrorCode::unauthorized, "the access token is invalid");
  long exp = jwt_get_grant_int(token.get(), "exp");
  if (exp <= 0) return fail(ErrorCode::unauthorized, "the access token is invalid");
  if (expiry == Expiry::enforced && exp <= now_ms() / 1000) return fail(ErrorCode::unauthorized, "the access token has expired");
  const char* sub = jwt_get_grant(token.get(), "sub");
  if (!sub) return fail(ErrorCode::unauthorized, "the access token is invalid");
  char* end = nullptr;
  long long id = std::strtoll(sub, &end, 10);
  if (!end || *end != '\0' || id <= 0) return fail(ErrorCode::unauthorized, "the access token is invalid");
  const char* login = jwt_get_grant(token.get(), "sid");
  if (!login || !*login) return fail(ErrorCode::unauthorized, "the access token is invalid");
  return Identity{UserId{id}, login};
}

}  // namespace parley::service
