#pragma once
// A webhook endpoint the operator configures: where events go, which ones, and the secret
// they are signed with (docs/integration.md, "Webhooks").
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace parley::service {

// Every event type a webhook can ask for.
[[nodiscard]] const std::vector<std::string_view>& webhook_event_types();

struct WebhookEndpoint {
  std::string url;                  // http:// or https://
  std::vector<std::string> events;  // the types it wants
  std::string key;                  // the secret's key bytes (decoded from whsec_...)

  [[nodiscard]] bool wants(std::string_view type) const;
};

// Reads "URL events=TYPE,TYPE,... secret=whsec_..." (fields apart by spaces; events=* for every
// type). invalid_payload saying what is wrong otherwise.
[[nodiscard]] Result<WebhookEndpoint> parse_webhook_endpoint(std::string_view spec);
// Every setting read so; invalid_payload also when two name one URL: deliveries are known by
// their URL, so the second's would be signed with the first's secret.
[[nodiscard]] Result<std::vector<WebhookEndpoint>> parse_webhook_endpoints(const std::vector<std::string>& specs);

}  // namespace parley::service
