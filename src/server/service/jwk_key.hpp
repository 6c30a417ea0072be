#pragma once
// Public keys from a JWK Set (RFC 7517): RSA keys from n and e, EC keys (P-256, P-384) from x
// and y, made into OpenSSL keys once, when the set is read.
#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace parley::service {

// What a key can check: each signature algorithm takes exactly one of these.
enum class KeyKind { rsa, ec_p256, ec_p384 };

struct PublicKey {
  std::string kid;
  KeyKind kind = KeyKind::rsa;
  std::shared_ptr<evp_pkey_st> key;
};

// invalid_payload, saying why, when the JWK is not an RSA or EC public key this server can use.
[[nodiscard]] Result<PublicKey> public_key_from_jwk(const boost::json::object& jwk);

// The signing keys of a JWK Set document ({"keys": [...]}). Keys of other kinds, or marked for
// encryption ("use": "enc"), are left out; invalid_payload when the document is not a JWK Set.
struct JwkSet {
  std::vector<PublicKey> keys;
  std::vector<std::string> skipped;  // why each left-out key was left out, for the log
};
[[nodiscard]] Result<JwkSet> parse_jwk_set(std::string_view document);

}  // namespace parley::service
