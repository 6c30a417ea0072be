// Feeds the checks of the app identity provider's tokens (server/service/app_tokens.hpp and
// the parsers under it). The first byte picks what the rest is:
//  0: a token as a client presents it, checked with a shared secret and a JWK Set of one RSA
//     and one EC key;
//  1: a JWK Set document, as the provider's key URL or file serves it;
//  2: the claims of a token whose signature has passed, checked against issuer and audience.
// Beyond "no crash": a refused token is refused as unauthorized, and an accepted one names a
// user; a key set's keys each have a key.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "server/service/app_tokens.hpp"
#include "server/service/jwk_key.hpp"
#include "server/service/app_token_claims.hpp"

namespace {

using namespace parley;
using fuzz::require;

// One RSA and one P-256 key, as a provider publishes them.
constexpr std::string_view kJwks = R"({"keys":[
{"kty":"RSA","kid":"r1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"},
{"kty":"EC","kid":"e1","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})";

service::AppTokens& tokens() {
  static service::AppKeySet keys(
      [](auto done) { done(std::string(kJwks)); }, {}, "fuzz");
  static bool loaded = [] {
    (void)keys.load();
    return true;
  }();
  (void)loaded;
  static service::AppTokens instance("fuzz-secret-0123456789abcdef0123456789abcdef", &keys,
                                     service::AppClaimRules{.issuer = "https://idp.test", .audience = "parley"});
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view rest = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto check = tokens().check(rest);
      if (!check.user) require(check.user.error().code == ErrorCode::unauthorized, "a refused token is unauthorized");
      else require(!check.user->external_id.empty() && !check.user->username.empty(), "an accepted token names a user");
      break;
    }
    case 1: {
      auto set = service::parse_jwk_set(rest);
      if (set)
        for (const auto& key : set->keys) require(key.key != nullptr, "every key of a set has a key");
      break;
    }
    case 2: {
      boost::system::error_code ec;
      auto claims = boost::json::parse(rest, ec);
      if (ec || !claims.is_object()) break;
      auto user = service::check_app_claims(claims.get_object(), {.issuer = "https://idp.test", .audience = "parley"}, 1'700'000'000);
      if (!user) require(user.error().code == ErrorCode::unauthorized, "refused claims are unauthorized");
      break;
    }
  }
  return 0;
}
