#include "server/service/jwk_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json/parse.hpp>

#include "server/service/jwt_parts.hpp"
#include "server/service/openssl_handles.hpp"

namespace parley::service {
namespace {

namespace json = boost::json;

// Shorter RSA moduli are breakable or close to it; a provider that serves one is refused.
constexpr int kMinRsaBits = 2048;

[[nodiscard]] Error bad_key(const std::string& kid, std::string_view why) {
  return Error{ErrorCode::invalid_payload, "JWK '" + kid + "': " + std::string(why)};
}

[[nodiscard]] std::optional<std::string> bytes_field(const json::object& jwk, std::string_view key) {
  const auto* value = jwk.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return base64url_decode(value->get_string());
}

[[nodiscard]] std::string string_field(const json::object& jwk, std::string_view key) {
  const auto* value = jwk.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

[[nodiscard]] Result<PublicKey> rsa_key(const json::object& jwk, const std::string& kid) {
  auto n = bytes_field(jwk, "n");
  auto e = bytes_field(jwk, "e");
  if (!n || !e || n->empty() || e->empty()) return std::unexpected(bad_key(kid, "an RSA key needs n and e in base64url"));
  ossl::Bignum modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
  ossl::Bignum exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
  if (!modulus || !exponent) return std::unexpected(bad_key(kid, "out of memory"));
  if (BN_num_bits(modulus.get()) < kMinRsaBits)
    return std::unexpected(bad_key(kid, "an RSA key shorter than 2048 bits is not accepted"));
  ossl::ParamBuilder bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()))
    return std::unexpected(bad_key(kid, "out of memory"));
  auto key = ossl::key_from_params("RSA", bld.get(), EVP_PKEY_PUBLIC_KEY);
  if (!key) return std::unexpected(bad_key(kid, "not a valid RSA public key"));
  return PublicKey{kid, KeyKind::rsa, std::move(key)};
}

[[nodiscard]] Result<PublicKey> ec_key(const json::object& jwk, const std::string& kid) {
  const std::string curve = string_field(jwk, "crv");
  KeyKind kind;
  const char* group;
  std::size_t coordinate_bytes;
  if (curve == "P-256") {
    kind = KeyKind::ec_p256, group = "prime256v1", coordinate_bytes = 32;
  } else if (curve == "P-384") {
    kind = KeyKind::ec_p384, group = "secp384r1", coordinate_bytes = 48;
  } else {
    return std::unexpected(bad_key(kid, "the curve '" + curve + "' is not supported (P-256 and P-384 are)"));
  }
  auto x = bytes_field(jwk, "x");
  auto y = bytes_field(jwk, "y");
  if (!x || !y || x->size() != coordinate_bytes || y->size() != coordinate_bytes)
    return std::unexpected(bad_key(kid, "an EC key needs x and y of the curve's size in base64url"));
  // The uncompressed point: 0x04, then x, then y (SEC 1).
  std::string point = "\x04" + *x + *y;
  ossl::ParamBuilder bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
    return std::unexpected(bad_key(kid, "out of memory"));
  auto key = ossl::key_from_params("EC", bld.get(), EVP_PKEY_PUBLIC_KEY);
  if (!key) return std::unexpected(bad_key(kid, "not a point on " + curve));
  return PublicKey{kid, kind, std::move(key)};
}

}  // namespace

Result<PublicKey> public_key_from_jwk(const json::object& jwk) {
  const std::string kid = string_field(jwk, "kid");
  const std::string kty = string_field(jwk, "kty");
  if (kty == "RSA") return rsa_key(jwk, kid);
  if (kty == "EC") return ec_key(jwk, kid);
  return std::unexpected(bad_key(kid, "the key type '" + kty + "' is not supported (RSA and EC are)"));
}

Result<JwkSet> parse_jwk_set(std::string_view document) {
  boost::system::error_code ec;
  json::value value = json::parse(document, ec);
  const json::value* keys = (!ec && value.is_object()) ? value.get_object().if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) return fail(ErrorCode::invalid_payload, "not a JWK Set: a JSON object with a \"keys\" array");
  JwkSet set;
  for (const auto& entry : keys->get_array()) {
    if (!entry.is_object()) {
      set.skipped.push_back("an entry of \"keys\" is not an object");
      continue;
    }
    const auto& jwk = entry.get_object();
    if (string_field(jwk, "use") == "enc") {
      set.skipped.push_back("JWK '" + string_field(jwk, "kid") + "': meant for encryption");
      continue;
    }
    auto key = public_key_from_jwk(jwk);
    if (!key) {
      set.skipped.push_back(key.error().message);
      continue;
    }
    set.keys.push_back(std::move(*key));
  }
  return set;
}

}  // namespace parley::service
