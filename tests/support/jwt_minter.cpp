#include "support/jwt_minter.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <boost/json/serialize.hpp>

#include <chrono>
#include <stdexcept>

namespace parley::test {
namespace {

namespace json = boost::json;

[[nodiscard]] std::string bn_bytes(const evp_pkey_st* key, const char* param, int pad = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &bn) != 1) throw std::runtime_error(std::string("no key parameter ") + param);
  const int size = pad ? pad : BN_num_bytes(bn);
  std::string out(static_cast<std::size_t>(size), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), size);
  BN_free(bn);
  return out;
}

[[nodiscard]] std::string joined(const json::object& header, const json::object& claims) {
  return base64url(json::serialize(header)) + "." + base64url(json::serialize(claims));
}

}  // namespace

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

SigningKey::SigningKey(std::string kid, bool rsa, std::shared_ptr<evp_pkey_st> key)
    : kid_(std::move(kid)), rsa_(rsa), key_(std::move(key)) {}

SigningKey SigningKey::rsa(std::string kid) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (!key) throw std::runtime_error("cannot make an RSA key");
  return SigningKey(std::move(kid), true, std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free));
}

SigningKey SigningKey::ec_p256(std::string kid) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) throw std::runtime_error("cannot make an EC key");
  return SigningKey(std::move(kid), false, std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free));
}

json::object SigningKey::jwk() const {
  json::object jwk{{"kid", kid_}, {"alg", alg()}, {"use", "sig"}};
  if (rsa_) {
    jwk["kty"] = "RSA";
    jwk["n"] = base64url(bn_bytes(key_.get(), OSSL_PKEY_PARAM_RSA_N));
    jwk["e"] = base64url(bn_bytes(key_.get(), OSSL_PKEY_PARAM_RSA_E));
  } else {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = base64url(bn_bytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32));
    jwk["y"] = base64url(bn_bytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32));
  }
  return jwk;
}

std::string SigningKey::public_pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) throw std::runtime_error("cannot write the PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string SigningKey::sign(std::string_view input) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("cannot sign");
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("cannot sign");
  signature.resize(size);
  if (rsa_) return signature;
  // OpenSSL writes ECDSA signatures in DER; JWS wants r and s, 32 bytes each.
  const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
  if (!sig) throw std::runtime_error("cannot read the ECDSA signature");
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

std::string mint_hmac(const json::object& header, const json::object& claims, std::string_view secret) {
  const std::string input = joined(header, claims);
  const auto* alg = header.if_contains("alg");
  const std::string_view name = alg && alg->is_string() ? std::string_view(alg->get_string()) : "HS256";
  const EVP_MD* md = name == "HS512" ? EVP_sha512() : name == "HS384" ? EVP_sha384() : EVP_sha256();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(md, secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &size);
  return input + "." + base64url(std::string_view(reinterpret_cast<const char*>(mac), size));
}

std::string mint_signed(const SigningKey& key, const json::object& claims, json::object header) {
  if (!header.contains("alg")) header["alg"] = key.alg();
  if (!header.contains("kid")) header["kid"] = key.kid();
  header["typ"] = "JWT";
  const std::string input = joined(header, claims);
  return input + "." + base64url(key.sign(input));
}

std::string mint_unsigned(const json::object& claims) {
  return joined(json::object{{"alg", "none"}, {"typ", "JWT"}}, claims) + ".";
}

}  // namespace parley::test
