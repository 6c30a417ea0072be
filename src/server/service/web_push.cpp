#include "server/service/web_push.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <optional>

#include "server/service/jwt_parts.hpp"
#include "server/service/vapid_token.hpp"
#include "server/service/web_push_encryption.hpp"

namespace parley::service {
namespace {

// Some clients pad their base64url; the bytes are the same.
[[nodiscard]] std::optional<std::string> decode_key(std::string_view text) {
  while (text.ends_with('=')) text.remove_suffix(1);
  return base64url_decode(text);
}

[[nodiscard]] bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

struct DecodedKeys {
  std::string p256dh, auth;
};

[[nodiscard]] Result<DecodedKeys> decode_subscription(const WebPushSubscription& subscription) {
  PARLEY_CHECK(push_endpoint_origin(subscription.endpoint));
  auto p256dh = decode_key(subscription.p256dh);
  if (!p256dh) return fail(ErrorCode::invalid_payload, "p256dh is not base64url");
  if (auto point = p256_public_key(*p256dh); !point)
    return fail(ErrorCode::invalid_payload, "p256dh is not a P-256 public key: " + point.error().message);
  auto auth = decode_key(subscription.auth);
  if (!auth || auth->size() != kWebPushAuthSecretBytes)
    return fail(ErrorCode::invalid_payload, "auth is not 16 bytes in base64url");
  return DecodedKeys{std::move(*p256dh), std::move(*auth)};
}

}  // namespace

std::string web_push_topic(std::string_view topic) {
  if (topic.size() <= kMaxWebPushTopicChars && std::ranges::all_of(topic, is_base64url_char)) return std::string(topic);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(topic.data(), topic.size(), digest, &size, EVP_sha256(), nullptr);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), size)).substr(0, kMaxWebPushTopicChars);
}

Result<void> check_web_push_subscription(const WebPushSubscription& subscription) {
  PARLEY_CHECK(decode_subscription(subscription));
  return {};
}

Result<WebPushRequest> WebPushSigner::request(const WebPushSubscription& subscription, std::string_view payload,
                                              std::chrono::seconds ttl, std::string_view topic) const {
  return request_at(subscription, payload, ttl, topic, std::chrono::system_clock::now());
}

Result<WebPushRequest> WebPushSigner::request_at(const WebPushSubscription& subscription, std::string_view payload,
                                                 std::chrono::seconds ttl, std::string_view topic,
                                                 std::chrono::system_clock::time_point now) const {
  PARLEY_TRY(keys, decode_subscription(subscription));
  PARLEY_TRY(audience, push_endpoint_origin(subscription.endpoint));
  PARLEY_TRY(token, vapid_token(key_, audience, subject_, now + kVapidTokenLifetime));
  PARLEY_TRY(body, encrypt_web_push(keys.p256dh, keys.auth, payload));
  WebPushRequest request;
  request.url = subscription.endpoint;
  request.headers = {
      {"Authorization", "vapid t=" + token + ", k=" + public_key_base64url()},
      {"Content-Encoding", "aes128gcm"},
      {"Content-Type", "application/octet-stream"},
      // How long the push service keeps the message for a browser that is offline; 0 means
      // deliver now or never.
      {"TTL", std::to_string(std::max<std::int64_t>(0, ttl.count()))},
      // RFC 8030 5.3: "normal" is a chat message's urgency; the push service may still wake a
      // device on battery for it, unlike "low".
      {"Urgency", "normal"},
  };
  if (std::string header = web_push_topic(topic); !header.empty()) request.headers.emplace_back("Topic", std::move(header));
  request.body = std::move(body);
  return request;
}

std::string WebPushSigner::public_key_base64url() const { return base64url_encode(key_.public_point()); }

}  // namespace parley::service
