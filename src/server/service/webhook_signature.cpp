#include "server/service/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

namespace parley::service {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
// Standard Webhooks asks for 24 to 64 bytes of key; fewer would be guessable.
constexpr std::size_t kMinKeyBytes = 16;

}  // namespace

Result<std::string> decode_webhook_secret(std::string_view written) {
  if (!written.starts_with(kSecretPrefix))
    return fail(ErrorCode::invalid_payload, "a webhook secret starts with whsec_ followed by base64");
  written.remove_prefix(kSecretPrefix.size());
  std::string key(written.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), written.data(), written.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return fail(ErrorCode::invalid_payload, "a webhook secret's part after whsec_ is not base64");
  key.resize(length);
  if (key.size() < kMinKeyBytes)
    return fail(ErrorCode::invalid_payload, "a webhook secret needs at least 16 bytes of key");
  return key;
}

std::string webhook_signature(std::string_view key, std::string_view id, std::int64_t timestamp_s,
                              std::string_view body) {
  std::string signed_content;
  signed_content.reserve(id.size() + body.size() + 24);
  signed_content.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac, &mac_length);
  std::string encoded(sodium_base64_ENCODED_LEN(mac_length, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), mac, mac_length, sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(encoded.find('\0'));
  return "v1," + encoded;
}

}  // namespace parley::service
