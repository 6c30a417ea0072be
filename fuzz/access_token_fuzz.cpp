// Feeds access-token verification (server/service/access_tokens.hpp, on libjwt). The first
// byte picks what the rest is:
//  0: a token as a client presents it (Authorization: Bearer, or the WebSocket's auth op);
//  1: the claims of a token signed with the server's own secret, so that the checks after the
//     signature (issuer, expiry, subject, login) see every shape of claims;
//  2: a login id, issued in a token and verified back;
//  3: an Authorization header's token as the server API reads it (an API key, pk_<id>_<secret>).
// Beyond "no crash", it checks that a refused token is refused as unauthorized, that a verified
// token names a positive user and a login, and that a token issued for a user and a login
// verifies to the same ones, and that an API key read as one is shaped as one.
#include <jwt.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "domain/validation.hpp"
#include "fuzz_support.hpp"
#include "server/service/access_tokens.hpp"
#include "server/service/api_keys.hpp"

namespace {

using namespace parley;
using fuzz::require;

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef0123456789abcdef";

const service::AccessTokens& tokens() {
  static const service::AccessTokens instance{std::string(kSecret), std::chrono::hours(1)};
  return instance;
}

void check_verified(const Result<service::Identity>& identity) {
  if (!identity) {
    require(identity.error().code == ErrorCode::unauthorized, "a refused token is unauthorized");
    return;
  }
  require(identity->user.value > 0 && !identity->login.empty(), "a verified token names a user and a login");
}

// A token with `claims` (a JSON object) as its payload, signed HS256 with the server's secret;
// empty when libjwt does not take the claims.
std::string signed_with_claims(const std::string& claims) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return {};
  std::unique_ptr<jwt_t, decltype(&jwt_free)> token(raw, &jwt_free);
  if (jwt_add_grants_json(token.get(), claims.c_str()) != 0) return {};
  jwt_set_alg(token.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(kSecret.data()),
              static_cast<int>(kSecret.size()));
  char* encoded = jwt_encode_str(token.get());
  if (!encoded) return {};
  std::string out(encoded);
  std::free(encoded);
  return out;
}

void check_issued(std::string_view login) {
  // libjwt keeps claims as C strings in JSON: a login is NUL-free UTF-8. The server's are short
  // base64url; a long one would make a token over the 4 KiB that verify reads.
  constexpr std::size_t kLongestLogin = 256;
  if (login.empty() || login.size() > kLongestLogin || login.find('\0') != std::string_view::npos ||
      !domain::is_valid_utf8(login))
    return;
  const UserId user{static_cast<std::int64_t>(login.size())};
  const auto identity = tokens().verify(tokens().issue(user, login));
  require(identity && identity->user == user && identity->login == login, "an issued token verifies to its identity");
}

void check_api_key(std::string_view token) {
  const auto parts = service::parse_api_key(token);
  if (!parts) return;
  require(service::looks_like_api_key(token), "a key read as one looks like one");
  require(parts->id > 0, "a key's id is positive");
  require(!parts->secret.empty() && parts->secret.data() >= token.data() &&
              parts->secret.data() + parts->secret.size() <= token.data() + token.size(),
          "a key's secret is a non-empty part of the token");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view rest = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: check_verified(tokens().verify(rest)); break;
    case 1:
      if (const std::string token = signed_with_claims(std::string(rest)); !token.empty())
        check_verified(tokens().verify(token));
      break;
    case 2: check_issued(rest); break;
    case 3: check_api_key(rest); break;
  }
  return 0;
}
