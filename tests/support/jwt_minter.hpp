#pragma once
// Tokens as an app's identity provider would sign them, for tests: HS256/384/512 with a secret,
// RS256 with an RSA key and ES256 with an EC P-256 key made here with OpenSSL, and the public
// halves of those keys as JWKs for a JWK Set.
#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace parley::test {

class SigningKey {
 public:
  // A new 2048-bit RSA key, signing RS256.
  [[nodiscard]] static SigningKey rsa(std::string kid);
  // A new EC key on P-256, signing ES256.
  [[nodiscard]] static SigningKey ec_p256(std::string kid);

  [[nodiscard]] const std::string& kid() const { return kid_; }
  [[nodiscard]] std::string_view alg() const { return rsa_ ? "RS256" : "ES256"; }
  // The public key as a JWK (kty, kid, alg, use, and n/e or crv/x/y).
  [[nodiscard]] boost::json::object jwk() const;
  // The public key in PEM (SubjectPublicKeyInfo).
  [[nodiscard]] std::string public_pem() const;
  // The JWS signature of `input`: PKCS #1 v1.5 for RSA, r||s for EC.
  [[nodiscard]] std::string sign(std::string_view input) const;

 private:
  SigningKey(std::string kid, bool rsa, std::shared_ptr<evp_pkey_st> key);
  std::string kid_;
  bool rsa_;
  std::shared_ptr<evp_pkey_st> key_;
};

[[nodiscard]] std::string base64url(std::string_view bytes);

// A JWT with `header` and `claims` as given (the header's alg is not checked), signed with HMAC
// (alg HS256, HS384 or HS512 in the header) using `secret`.
[[nodiscard]] std::string mint_hmac(const boost::json::object& header, const boost::json::object& claims,
                                    std::string_view secret);
// Signed with `key`; the header gets alg and kid from the key unless `header` sets them.
[[nodiscard]] std::string mint_signed(const SigningKey& key, const boost::json::object& claims,
                                      boost::json::object header = {});
// {"alg":"none"} and an empty signature.
[[nodiscard]] std::string mint_unsigned(const boost::json::object& claims);

// Seconds since the epoch, for exp and iat.
[[nodiscard]] std::int64_t unix_now();

}  // namespace parley::test
