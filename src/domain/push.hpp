#pragma once
// Push targets: where a user's devices are woken when a message arrives while none of them is
// connected (docs/push.md). Pure: the rules on what a device may register.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace parley::domain {

// http: a push gateway speaking Matrix's Push Gateway API (Sygnal and the like, in front of
// APNs and FCM); webpush: a browser's PushSubscription (RFC 8030).
enum class PushKind { http, webpush };

[[nodiscard]] std::string_view to_string(PushKind kind);
[[nodiscard]] std::optional<PushKind> push_kind_from(std::string_view text);

struct PushTarget {
  std::int64_t id = 0;
  UserId user_id;
  PushKind kind = PushKind::http;
  std::string app_id;   // http: the app id the gateway knows the app by; webpush: empty
  // http: the device's token at its push service; webpush: the subscription's endpoint. Unique
  // with kind and app_id: registering it again updates the one target.
  std::string pushkey;
  std::string url;      // http: the gateway's notify URL; webpush: empty
  std::string p256dh;   // webpush: the browser's P-256 public key, base64url; http: empty
  std::string auth;     // webpush: the browser's 16-byte auth secret, base64url; http: empty
  TimestampMs created_at_ms = 0;
  TimestampMs updated_at_ms = 0;
};

// Whether a user's notifications carry the start of each message, or never any of its text
// (the lock screen shows "New message" alone).
enum class PushText { shown, hidden };

[[nodiscard]] std::string_view to_string(PushText text);
[[nodiscard]] std::optional<PushText> push_text_from(std::string_view text);

// A member a room's message may notify: what the notification needs of them beside the message.
struct PushRecipient {
  UserId user_id;
  PushText push_text = PushText::shown;
  std::int64_t unread_count = 0;  // in the room
};

// A target as a device registers it: the fields of its kind present, well formed and within
// their limits (limits.hpp), the others empty. invalid_payload says which field is wrong.
[[nodiscard]] Result<void> validate_push_target(const PushTarget& target);

}  // namespace parley::domain
