#pragma once
// Sends webhook deliveries: each signed as Standard Webhooks specifies, to the endpoint its
// target names, through the transport it is given.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/service/delivery_worker.hpp"
#include "server/service/webhook_outbox.hpp"

namespace parley::service {

// One signed POST, as the transport sends it.
struct WebhookPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
// Sends a post; `done` gets the answer's HTTP status, or `unavailable` when no answer came
// (refused, timed out). It must bound each attempt by a timeout.
using WebhookTransport = std::function<void(WebhookPost, std::function<void(Result<int>)>)>;

class WebhookSender final : public DeliverySender {
 public:
  WebhookSender(const WebhookOutbox& outbox, WebhookTransport transport)
      : outbox_(outbox), transport_(std::move(transport)) {}

  [[nodiscard]] std::string_view kind() const override { return WebhookOutbox::kKind; }
  void attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) override;

 private:
  const WebhookOutbox& outbox_;
  WebhookTransport transport_;
};

}  // namespace parley::service
