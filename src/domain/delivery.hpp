#pragma once
// One piece of work that leaves the system through the outbox (a webhook call; push later):
// what goes where, and how its attempts went.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"

namespace parley::domain {

// pending: waiting for its (next) attempt, or being attempted; delivered: the target accepted
// it; failed: every attempt was refused or timed out, and no more are made.
enum class DeliveryStatus { pending, delivered, failed };

[[nodiscard]] std::string_view to_string(DeliveryStatus status);
[[nodiscard]] std::optional<DeliveryStatus> delivery_status_from(std::string_view name);

struct Delivery {
  std::int64_t position = 0;  // the order of writing
  std::string id;             // stable across attempts: the receiver's key for dropping repeats
  std::string kind;           // "webhook"
  std::string target;         // a webhook's URL
  std::optional<std::string> order_key;  // same target and key: delivered one after another
  std::string event_type;     // "message.created", ...
  std::string payload;        // the body, as sent
  DeliveryStatus status = DeliveryStatus::pending;
  int attempts = 0;           // attempts started so far
  TimestampMs next_attempt_ms = 0;
  std::optional<int> last_http_status;  // of the last answer; none when no answer came
  std::string last_error;     // what went wrong last, for the operator; empty when nothing did
  TimestampMs created_at_ms = 0;
  TimestampMs updated_at_ms = 0;
};

}  // namespace parley::domain
