#include "server/service/web_push_encryption.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "server/service/openssl_handles.hpp"

namespace parley::service {
namespace {

constexpr std::size_t kCekBytes = 16;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr char kFinalRecordDelimiter = '\x02';

enum class HkdfStep { extract, expand, both };

// HKDF-SHA256 (RFC 5869), one step or both.
[[nodiscard]] Result<std::string> hkdf(HkdfStep step, std::string_view key, std::string_view salt, std::string_view info,
                                       std::size_t length) {
  ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  ossl::KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) return fail(ErrorCode::internal, "HKDF is not available");
  int mode = step == HkdfStep::extract  ? EVP_KDF_HKDF_MODE_EXTRACT_ONLY
             : step == HkdfStep::expand ? EVP_KDF_HKDF_MODE_EXPAND_ONLY
                                        : EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
  char digest[] = "SHA256";
  OSSL_PARAM params[6];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(key.data()), key.size());
  if (step != HkdfStep::expand)
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size());
  if (step != HkdfStep::extract)
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size());
  params[n] = OSSL_PARAM_construct_end();
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params) != 1)
    return fail(ErrorCode::internal, "HKDF failed");
  return out;
}

// The info strings of RFC 8188 (2.2, 2.3) and RFC 8291 (3.4) end in a zero byte.
constexpr std::string_view kCekInfo{"Content-Encoding: aes128gcm\0", 28};
constexpr std::string_view kNonceInfo{"Content-Encoding: nonce\0", 24};
constexpr std::string_view kWebPushInfo{"WebPush: info\0", 14};

[[nodiscard]] std::string be32(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

// AES-128-GCM of `plaintext`, the 16-byte tag appended.
[[nodiscard]] Result<std::string> aes128gcm_seal(std::string_view key, std::string_view nonce, std::string_view plaintext) {
  ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  std::string out(plaintext.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  int written = 0;
  int final_written = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                         reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes, &written, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + written, &final_written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, bytes + written + final_written) != 1)
    return fail(ErrorCode::internal, "AES-128-GCM failed");
  return out;
}

}  // namespace

Result<EceKeys> derive_ece_keys(std::string_view ikm, std::string_view salt) {
  if (salt.size() != kEceSaltBytes) return fail(ErrorCode::invalid_payload, "an aes128gcm salt is 16 bytes");
  EceKeys keys;
  PARLEY_TRY(prk, hkdf(HkdfStep::extract, ikm, salt, {}, 32));
  PARLEY_TRY(cek, hkdf(HkdfStep::expand, prk, {}, kCekInfo, kCekBytes));
  PARLEY_TRY(nonce, hkdf(HkdfStep::expand, prk, {}, kNonceInfo, kNonceBytes));
  keys.prk = std::move(prk);
  keys.cek = std::move(cek);
  keys.nonce = std::move(nonce);
  return keys;
}

Result<std::string> ece_encrypt_one_record(std::string_view ikm, std::string_view salt, std::string_view key_id,
                                           std::uint32_t record_size, std::string_view plaintext) {
  if (key_id.size() > 255) return fail(ErrorCode::invalid_payload, "an aes128gcm key id is at most 255 bytes");
  // The record holds the plaintext, the delimiter and the tag.
  if (plaintext.size() + 1 + kTagBytes > record_size)
    return fail(ErrorCode::invalid_payload, "the payload does not fit in one aes128gcm record");
  PARLEY_TRY(keys, derive_ece_keys(ikm, salt));
  // The only record is the last: the delimiter 2 and no padding. Its sequence number is 0, so
  // its nonce is the derived nonce itself.
  std::string padded(plaintext);
  padded.push_back(kFinalRecordDelimiter);
  auto sealed = aes128gcm_seal(keys.cek, keys.nonce, padded);
  OPENSSL_cleanse(keys.cek.data(), keys.cek.size());
  OPENSSL_cleanse(padded.data(), padded.size());
  if (!sealed) return std::unexpected(sealed.error());
  std::string body(salt);
  body += be32(record_size);
  body.push_back(static_cast<char>(key_id.size()));
  body += key_id;
  body += *sealed;
  return body;
}

Result<std::string> encrypt_web_push_with(const P256PrivateKey& ephemeral, std::string_view salt,
                                          std::string_view ua_public, std::string_view auth_secret,
                                          std::string_view plaintext) {
  if (auth_secret.size() != kWebPushAuthSecretBytes)
    return fail(ErrorCode::invalid_payload, "a subscription's auth secret is 16 bytes");
  if (plaintext.size() > kMaxWebPushPayloadBytes)
    return fail(ErrorCode::invalid_payload, "a Web Push payload is at most 3993 bytes");
  PARLEY_TRY(peer, p256_public_key(ua_public));
  PARLEY_TRY(shared, p256_ecdh(ephemeral, peer.get()));
  // RFC 8291 3.4: the input keying material binds both public keys and the auth secret.
  std::string info(kWebPushInfo);
  info += ua_public;
  info += ephemeral.public_point();
  auto ikm = hkdf(HkdfStep::both, shared, auth_secret, info, 32);
  OPENSSL_cleanse(shared.data(), shared.size());
  if (!ikm) return std::unexpected(ikm.error());
  auto body = ece_encrypt_one_record(*ikm, salt, ephemeral.public_point(), kWebPushRecordSize, plaintext);
  OPENSSL_cleanse(ikm->data(), ikm->size());
  return body;
}

Result<std::string> encrypt_web_push(std::string_view ua_public, std::string_view auth_secret,
                                     std::string_view plaintext) {
  PARLEY_TRY(ephemeral, P256PrivateKey::generate());
  std::string salt(kEceSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1)
    return fail(ErrorCode::internal, "no random bytes for a salt");
  return encrypt_web_push_with(ephemeral, salt, ua_public, auth_secret, plaintext);
}

}  // namespace parley::service
