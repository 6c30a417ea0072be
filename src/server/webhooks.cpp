#include "server/webhooks.hpp"

#include <spdlog/spdlog.h>

namespace parley::server {
namespace {

// A webhook's answer is not read: a little of it is enough to end the exchange cleanly.
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

}  // namespace

void Webhooks::stop_sending() {
  if (worker) worker->stop();
  fetcher.reset();
}

Result<Webhooks> make_webhooks(const ServerConfig& config, service::WriteQueue& writes, service::ReadPool& reads,
                               service::EventPublisher& events) {
  Webhooks hooks;
  if (config.webhooks.empty()) {
    // Nothing sends a redelivery until an endpoint is configured again.
    hooks.deliveries = std::make_unique<service::WebhookDeliveriesService>(writes, reads, nullptr);
    return hooks;
  }
  PARLEY_TRY(endpoints, service::parse_webhook_endpoints(config.webhooks));
  for (const auto& endpoint : endpoints) spdlog::info("webhook: {} ({} event types)", endpoint.url, endpoint.events.size());
  const std::chrono::milliseconds timeout(config.webhook_timeout_ms);
  hooks.fetcher = std::make_unique<gateway::HttpFetcher>(
      gateway::HttpFetcher::Limits{.connect_timeout = timeout, .total_timeout = timeout, .max_body_bytes = kMaxAnswerBytes});
  hooks.outbox = std::make_unique<service::WebhookOutbox>(std::move(endpoints));
  service::WebhookTransport transport = [fetcher = hooks.fetcher.get()](service::WebhookPost post, auto done) {
    fetcher->send({.url = std::move(post.url), .headers = std::move(post.headers), .body = std::move(post.body)},
                  [done = std::move(done)](Result<gateway::HttpFetcher::Answer> answer) {
                    if (!answer) return done(std::unexpected(std::move(answer.error())));
                    done(answer->status);
                  });
  };
  hooks.sender = std::make_unique<service::WebhookSender>(*hooks.outbox, std::move(transport));
  hooks.worker = std::make_unique<service::DeliveryWorker>(
      writes, *hooks.sender,
      service::DeliveryWorker::Limits{
          .max_in_flight = config.webhook_max_in_flight,
          .attempt_timeout = timeout,
          .max_attempts = config.webhook_max_attempts,
          .first_retry = std::chrono::milliseconds(config.webhook_retry_ms),
          .max_retry = std::chrono::milliseconds(config.webhook_retry_max_ms),
          .poll = std::chrono::milliseconds(config.webhook_poll_ms),
          .keep_finished = std::chrono::hours(config.webhook_keep_hours),
      });
  hooks.outbox->on_written([worker = hooks.worker.get()] { worker->wake(); });
  hooks.deliveries =
      std::make_unique<service::WebhookDeliveriesService>(writes, reads, [worker = hooks.worker.get()] { worker->wake(); });
  events.attach_outbox(*hooks.outbox);
  return hooks;
}

}  // namespace parley::server
