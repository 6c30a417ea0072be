#include "server/service/webhook_endpoint.hpp"

#include <algorithm>
#include <sstream>

#include "server/service/webhook_signature.hpp"

namespace parley::service {

const std::vector<std::string_view>& webhook_event_types() {
  static const std::vector<std::string_view> types{
      "message.created",     "message.edited", "message.deleted", "reaction.added", "reaction.removed",
      "room.created",        "member.added",   "member.removed",  "member.role_changed", "room.renamed",
      "user.created"};
  return types;
}

bool WebhookEndpoint::wants(std::string_view type) const {
  return std::find(events.begin(), events.end(), type) != events.end();
}

Result<WebhookEndpoint> parse_webhook_endpoint(std::string_view spec) {
  std::istringstream fields{std::string(spec)};
  WebhookEndpoint endpoint;
  std::string field;
  bool has_events = false;
  bool has_secret = false;
  while (fields >> field) {
    if (field.starts_with("events=")) {
      has_events = true;
      std::string list = field.substr(7);
      if (list == "*") {
        endpoint.events.assign(webhook_event_types().begin(), webhook_event_types().end());
        continue;
      }
      std::istringstream names(list);
      for (std::string name; std::getline(names, name, ',');) {
        const auto& known = webhook_event_types();
        if (std::find(known.begin(), known.end(), name) == known.end())
          return fail(ErrorCode::invalid_payload, "webhook: unknown event type " + name);
        endpoint.events.push_back(name);
      }
    } else if (field.starts_with("secret=")) {
      PARLEY_TRY(key, decode_webhook_secret(std::string_view(field).substr(7)));
      endpoint.key = std::move(key);
      has_secret = true;
    } else if (endpoint.url.empty() && (field.starts_with("http://") || field.starts_with("https://"))) {
      endpoint.url = field;
    } else {
      return fail(ErrorCode::invalid_payload, "webhook: expected \"URL events=TYPE,... secret=whsec_...\", not " + field);
    }
  }
  if (endpoint.url.empty()) return fail(ErrorCode::invalid_payload, "webhook: no http:// or https:// URL");
  if (!has_events || endpoint.events.empty())
    return fail(ErrorCode::invalid_payload, "webhook " + endpoint.url + ": no events= (a list, or * for all)");
  if (!has_secret) return fail(ErrorCode::invalid_payload, "webhook " + endpoint.url + ": no secret=whsec_...");
  return endpoint;
}

Result<std::vector<WebhookEndpoint>> parse_webhook_endpoints(const std::vector<std::string>& specs) {
  std::vector<WebhookEndpoint> endpoints;
  for (const auto& spec : specs) {
    PARLEY_TRY(endpoint, parse_webhook_endpoint(spec));
    for (const auto& before : endpoints) {
      if (before.url == endpoint.url)
        return fail(ErrorCode::invalid_payload, "webhook: " + endpoint.url + " is set twice; name each endpoint once");
    }
    endpoints.push_back(std::move(endpoint));
  }
  return endpoints;
}

}  // namespace parley::service
