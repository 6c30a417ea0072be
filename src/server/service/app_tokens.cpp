#include "server/service/app_tokens.hpp"

#include "core/clock.hpp"
#include "server/service/jwt_parts.hpp"
#include "server/service/jwt_signature.hpp"

namespace parley::service {

AppTokens::AppTokens(std::string secret, AppKeySet* keys, AppClaimRules rules)
    : secret_(std::move(secret)), keys_(keys), rules_(std::move(rules)) {}

AppTokens::Check AppTokens::check(std::string_view token, Expiry expiry) const {
  auto parts = parse_jwt(token);
  if (!parts) return {std::unexpected(parts.error())};
  const auto algorithm = jwt_algorithm(parts->alg);
  if (!algorithm)
    return {fail(ErrorCode::unauthorized, "the access token's algorithm '" + parts->alg + "' is not accepted")};
  if (is_hmac(*algorithm)) {
    if (secret_.empty())
      return {fail(ErrorCode::unauthorized, "the access token is signed with a shared secret (" + parts->alg +
                                                "), and this server has none for the app's tokens")};
    if (!hmac_signature_matches(*algorithm, secret_, parts->signing_input, parts->signature))
      return {fail(ErrorCode::unauthorized, "the access token's signature does not match")};
  } else {
    if (!keys_)
      return {fail(ErrorCode::unauthorized, "the access token is signed with a public key (" + parts->alg +
                                                "), and this server has no key set for the app's tokens")};
    auto key = keys_->find(parts->kid, key_kind_for(*algorithm));
    if (!key)
      return {fail(ErrorCode::unauthorized, "the access token's key (kid '" + parts->kid + "') is not in the app's key set"),
              true};
    if (!key_signature_matches(*algorithm, *key, parts->signing_input, parts->signature))
      return {fail(ErrorCode::unauthorized, "the access token's signature does not match")};
  }
  return {check_app_claims(parts->claims, rules_, now_ms() / 1000, expiry)};
}

}  // namespace parley::service
