#include "server/service/jwt_signature.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>

namespace parley::service {
namespace {

[[nodiscard]] const EVP_MD* digest_of(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::hs256:
    case JwtAlgorithm::rs256:
    case JwtAlgorithm::es256: return EVP_sha256();
    case JwtAlgorithm::hs384:
    case JwtAlgorithm::rs384:
    case JwtAlgorithm::es384: return EVP_sha384();
    case JwtAlgorithm::hs512:
    case JwtAlgorithm::rs512: return EVP_sha512();
  }
  return nullptr;
}

// JWS writes an ECDSA signature as r and s side by side, each the curve's size (RFC 7518
// 3.4); OpenSSL checks the DER form. Empty when `raw` is not of that size.
[[nodiscard]] std::string ecdsa_der(std::string_view raw, std::size_t coordinate_bytes) {
  if (raw.size() != 2 * coordinate_bytes) return {};
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!sig) return {};
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> owner(sig, ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(coordinate_bytes), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + coordinate_bytes, static_cast<int>(coordinate_bytes), nullptr);
  if (!r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  if (size <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

}  // namespace

std::optional<JwtAlgorithm> jwt_algorithm(std::string_view name) {
  if (name == "HS256") return JwtAlgorithm::hs256;
  if (name == "HS384") return JwtAlgorithm::hs384;
  if (name == "HS512") return JwtAlgorithm::hs512;
  if (name == "RS256") return JwtAlgorithm::rs256;
  if (name == "RS384") return JwtAlgorithm::rs384;
  if (name == "RS512") return JwtAlgorithm::rs512;
  if (name == "ES256") return JwtAlgorithm::es256;
  if (name == "ES384") return JwtAlgorithm::es384;
  return std::nullopt;
}

bool is_hmac(JwtAlgorithm algorithm) {
  return algorithm == JwtAlgorithm::hs256 || algorithm == JwtAlgorithm::hs384 || algorithm == JwtAlgorithm::hs512;
}

KeyKind key_kind_for(JwtAlgorithm algorithm) {
  if (algorithm == JwtAlgorithm::es256) return KeyKind::ec_p256;
  if (algorithm == JwtAlgorithm::es384) return KeyKind::ec_p384;
  return KeyKind::rsa;
}

bool hmac_signature_matches(JwtAlgorithm algorithm, std::string_view secret, std::string_view input,
                            std::string_view signature) {
  if (!is_hmac(algorithm) || secret.empty()) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(digest_of(algorithm), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &size))
    return false;
  return signature.size() == size && CRYPTO_memcmp(mac, signature.data(), size) == 0;
}

bool key_signature_matches(JwtAlgorithm algorithm, const PublicKey& key, std::string_view input,
                           std::string_view signature) {
  if (is_hmac(algorithm) || !key.key || key.kind != key_kind_for(algorithm)) return false;
  std::string der;
  if (key.kind != KeyKind::rsa) {
    der = ecdsa_der(signature, key.kind == KeyKind::ec_p256 ? 32 : 48);
    if (der.empty()) return false;
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  // RS algorithms are RSASSA-PKCS1-v1_5, OpenSSL's default padding for an RSA key.
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digest_of(algorithm), nullptr, key.key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

}  // namespace parley::service
