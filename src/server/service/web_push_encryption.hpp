#pragma once
// Web Push payload encryption: the aes128gcm content coding (RFC 8188) in one record, keyed by
// ECDH between a one-message key and the browser's subscription key (RFC 8291). The functions
// that take the one-message key and the salt exist so that the RFCs' worked examples can be
// checked byte for byte; a push uses encrypt_web_push, which draws both at random.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "server/service/p256_key.hpp"

namespace parley::service {

inline constexpr std::size_t kEceSaltBytes = 16;
inline constexpr std::size_t kWebPushAuthSecretBytes = 16;
// RFC 8291 section 4: push services must accept a body of 4096 bytes; the header (86 bytes with
// the 65-byte key id), the padding delimiter and the tag leave 3993 for the payload. A larger
// payload is refused rather than split: a push message is one record.
inline constexpr std::uint32_t kWebPushRecordSize = 4096;
inline constexpr std::size_t kMaxWebPushPayloadBytes = 3993;

// The keys of one aes128gcm record, derived from the input keying material and the salt.
struct EceKeys {
  std::string prk;    // HKDF-Extract(salt, ikm), 32 bytes
  std::string cek;    // the content-encryption key, 16 bytes
  std::string nonce;  // the first record's nonce, 12 bytes
};
[[nodiscard]] Result<EceKeys> derive_ece_keys(std::string_view ikm, std::string_view salt);

// RFC 8188: header (salt, record size, key id) and one final record holding `plaintext`.
// invalid_payload when the plaintext does not fit in one record of `record_size`.
[[nodiscard]] Result<std::string> ece_encrypt_one_record(std::string_view ikm, std::string_view salt,
                                                         std::string_view key_id, std::uint32_t record_size,
                                                         std::string_view plaintext);

// RFC 8291 with the one-message key and salt given: the body of a push message to the browser
// whose subscription key is `ua_public` (65 bytes) and authentication secret `auth_secret`
// (16 bytes).
[[nodiscard]] Result<std::string> encrypt_web_push_with(const P256PrivateKey& ephemeral, std::string_view salt,
                                                        std::string_view ua_public, std::string_view auth_secret,
                                                        std::string_view plaintext);

// The same with a fresh one-message key and salt: what is sent.
[[nodiscard]] Result<std::string> encrypt_web_push(std::string_view ua_public, std::string_view auth_secret,
                                                   std::string_view plaintext);

}  // namespace parley::service
