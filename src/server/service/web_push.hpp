#pragma once
// The HTTP request that delivers one notification to one browser through its push service
// (RFC 8030): the payload encrypted for that browser (RFC 8291), the server identified by its
// VAPID key (RFC 8292). Sending it, and reading the push service's answer, is the caller's job.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "server/service/p256_key.hpp"

namespace parley::service {

// A browser's PushSubscription, base64url as PushSubscription.toJSON() gives it.
struct WebPushSubscription {
  std::string endpoint, p256dh, auth;
};

struct WebPushRequest {
  std::string url;  // POST here
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// RFC 8030 5.4: a topic is at most 32 characters of the base64url alphabet.
inline constexpr std::size_t kMaxWebPushTopicChars = 32;

// The Topic header for `topic`: itself when it is a valid topic, otherwise the first 32
// characters of the base64url SHA-256 of it, so that any caller's key (a room id) replaces the
// earlier undelivered message with the same key. Empty stays empty (no Topic header).
[[nodiscard]] std::string web_push_topic(std::string_view topic);

// invalid_payload, saying which field, unless the subscription has an endpoint push_endpoint_origin
// accepts, a p256dh that is a P-256 point and a 16-byte auth secret.
[[nodiscard]] Result<void> check_web_push_subscription(const WebPushSubscription& subscription);

class WebPushSigner {
 public:
  // `subject` passes check_vapid_subject (the configuration checks it at start-up), or is empty:
  // then the tokens carry no "sub".
  WebPushSigner(P256PrivateKey vapid_key, std::string subject)
      : key_(std::move(vapid_key)), subject_(std::move(subject)) {}

  // The POST that delivers `payload` (at most kMaxWebPushPayloadBytes) to `subscription`.
  // invalid_payload when the subscription or the payload cannot be used.
  [[nodiscard]] Result<WebPushRequest> request(const WebPushSubscription& subscription, std::string_view payload,
                                               std::chrono::seconds ttl, std::string_view topic) const;
  // The same at a given time: the token expires kVapidTokenLifetime after `now`.
  [[nodiscard]] Result<WebPushRequest> request_at(const WebPushSubscription& subscription, std::string_view payload,
                                                  std::chrono::seconds ttl, std::string_view topic,
                                                  std::chrono::system_clock::time_point now) const;

  // The uncompressed public point, base64url: the "k" of the Authorization header and the
  // applicationServerKey a browser subscribes with.
  [[nodiscard]] std::string public_key_base64url() const;

 private:
  P256PrivateKey key_;
  std::string subject_;
};

}  // namespace parley::service
