#include "server/service/webhook_outbox.hpp"

#include <algorithm>
#include <ctime>

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "server/service/committed.hpp"
#include "server/service/integration_events.hpp"
#include "server/service/secrets.hpp"

namespace parley::service {
namespace {

// RFC 3339 in UTC with milliseconds: "2026-12-06T11:15:00.123Z".
std::string rfc3339(TimestampMs at_ms) {
  const std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(at_ms % 1000));
  return std::string(text, length) + millis;
}

// Standard Webhooks' payload: {"type", "timestamp", "data"}.
std::string payload_of(const IntegrationEvent& event) {
  boost::json::object payload{{"type", event.type}, {"timestamp", rfc3339(event.at_ms)}, {"data", event.data}};
  return boost::json::serialize(payload);
}

}  // namespace

const WebhookEndpoint* WebhookOutbox::endpoint(std::string_view url) const {
  auto found = std::find_if(endpoints_.begin(), endpoints_.end(), [&](const auto& e) { return e.url == url; });
  return found == endpoints_.end() ? nullptr : &*found;
}

bool WebhookOutbox::wanted(std::string_view type) const {
  return std::any_of(endpoints_.begin(), endpoints_.end(), [&](const auto& e) { return e.wants(type); });
}

Result<std::size_t> WebhookOutbox::record_event(store::StoreSession& session, const IntegrationEvent& event) const {
  std::size_t written = 0;
  std::string payload;
  for (const auto& endpoint : endpoints_) {
    if (!endpoint.wants(event.type)) continue;
    if (payload.empty()) payload = payload_of(event);
    store::NewDelivery delivery{
        .id = "msg_" + random_token(18),
        .kind = std::string(kKind),
        .target = endpoint.url,
        .order_key = event.room ? std::optional(std::to_string(event.room->value)) : std::nullopt,
        .event_type = event.type,
        .payload = payload,
        .created_at_ms = now_ms(),
    };
    PARLEY_CHECK(session.insert_delivery(delivery));
    ++written;
  }
  return written;
}

Result<std::size_t> WebhookOutbox::record(store::StoreSession& session, const PendingEvents& events) {
  std::size_t written = 0;
  // The change first, then its messages: a room.created precedes the message.created of the
  // room's first message at every endpoint.
  for (const auto& event : events.integration()) {
    PARLEY_TRY(count, record_event(session, event));
    written += count;
  }
  for (const auto& message : events.messages()) {
    // Asked first: the event's JSON is made only when some endpoint wants it.
    if (!wanted(message_event_type(*message))) continue;
    PARLEY_TRY(count, record_event(session, message_created(*message)));
    written += count;
  }
  return written;
}

}  // namespace parley::service
