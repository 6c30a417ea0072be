#pragma once
// A P-256 private key held as an OpenSSL key: the VAPID key that signs Web Push requests, and
// the one-message key of each encrypted push payload (RFC 8291). Its bytes are the 32-byte
// private scalar; its public half is the 65-byte uncompressed point, as browsers take it.
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace parley::service {

inline constexpr std::size_t kP256PrivateKeyBytes = 32;
inline constexpr std::size_t kP256PublicPointBytes = 65;  // 0x04, x, y (SEC 1, uncompressed)

class P256PrivateKey {
 public:
  // A new key from OpenSSL's random generator.
  [[nodiscard]] static Result<P256PrivateKey> generate();
  // invalid_payload when `scalar` is not 32 bytes of a valid private key (0 < d < n).
  [[nodiscard]] static Result<P256PrivateKey> from_private_bytes(std::string_view scalar);

  [[nodiscard]] const std::string& private_bytes() const { return scalar_; }
  [[nodiscard]] const std::string& public_point() const { return point_; }
  [[nodiscard]] evp_pkey_st* openssl_key() const { return key_.get(); }

 private:
  std::string scalar_;
  std::string point_;
  std::shared_ptr<evp_pkey_st> key_;
};

// A P-256 public key from its uncompressed point; invalid_payload when the bytes are not a point
// on the curve (a subscription's p256dh that a browser did not make).
[[nodiscard]] Result<std::shared_ptr<evp_pkey_st>> p256_public_key(std::string_view point);

// ECDH (the x coordinate of the shared point, 32 bytes).
[[nodiscard]] Result<std::string> p256_ecdh(const P256PrivateKey& own, evp_pkey_st* peer);

// ES256 over `input` (RFC 7518 3.4): SHA-256, ECDSA, the signature as r and s of 32 bytes each.
[[nodiscard]] Result<std::string> es256_sign(const P256PrivateKey& key, std::string_view input);

}  // namespace parley::service
