#pragma once
// Checking a JWT's signature. The algorithm a token names decides which secret or key may check
// it, never the other way round: an HS token is checked only with the shared secret, an RS or
// ES token only with a public key of the matching kind, and "none" with nothing at all.
#include <optional>
#include <string_view>

#include "server/service/jwk_key.hpp"

namespace parley::service {

enum class JwtAlgorithm { hs256, hs384, hs512, rs256, rs384, rs512, es256, es384 };

// nullopt for "none" and any algorithm not listed.
[[nodiscard]] std::optional<JwtAlgorithm> jwt_algorithm(std::string_view name);
[[nodiscard]] bool is_hmac(JwtAlgorithm algorithm);
// The kind of public key an RS or ES algorithm is checked with.
[[nodiscard]] KeyKind key_kind_for(JwtAlgorithm algorithm);

// Constant-time comparison of the HMAC of `input` under `secret`.
[[nodiscard]] bool hmac_signature_matches(JwtAlgorithm algorithm, std::string_view secret, std::string_view input,
                                          std::string_view signature);
// false too when `key` is not of key_kind_for(algorithm).
[[nodiscard]] bool key_signature_matches(JwtAlgorithm algorithm, const PublicKey& key, std::string_view input,
                                         std::string_view signature);

}  // namespace parley::service
