#include "server/service/webhook_sender.hpp"

#include "core/clock.hpp"
#include "server/service/webhook_signature.hpp"

namespace parley::service {

void WebhookSender::attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) {
  const WebhookEndpoint* endpoint = outbox_.endpoint(delivery.target);
  if (!endpoint) {
    // The operator removed the endpoint since: nobody is left to sign for or send to.
    return done(SendOutcome{.status = fail(ErrorCode::not_found, "no webhook endpoint is configured at this URL any more"),
                            .give_up = true});
  }
  const std::int64_t timestamp = now_ms() / 1000;
  WebhookPost post{.url = delivery.target,
                   .headers = {{"content-type", "application/json"},
                               {"webhook-id", delivery.id},
                               {"webhook-timestamp", std::to_string(timestamp)},
                               {"webhook-signature", webhook_signature(endpoint->key, delivery.id, timestamp,
                                                                       delivery.payload)}},
                   .body = delivery.payload};
  transport_(std::move(post), [done = std::move(done)](Result<int> status) { done(SendOutcome{.status = std::move(status)}); });
}

}  // namespace parley::service
