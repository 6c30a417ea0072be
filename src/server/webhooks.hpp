#pragma once
// Webhooks as the settings describe them: the endpoints, the outbox that records their
// deliveries with each change, and the worker that sends them through a fetcher of its own.
#include <memory>

#include "core/error.hpp"
#include "server/gateway/http_fetch.hpp"
#include "server/server_config.hpp"
#include "server/service/delivery_worker.hpp"
#include "server/service/event_publisher.hpp"
#include "server/service/webhook_deliveries_service.hpp"
#include "server/service/webhook_outbox.hpp"
#include "server/service/webhook_sender.hpp"

namespace parley::server {

struct Webhooks {
  // Listing and redelivering, for the server API; there with or without endpoints, since
  // deliveries stay listed after an endpoint is removed.
  std::unique_ptr<service::WebhookDeliveriesService> deliveries;
  std::unique_ptr<service::WebhookOutbox> outbox;
  std::unique_ptr<service::WebhookSender> sender;
  std::unique_ptr<service::DeliveryWorker> worker;
  // Its own fetcher: a hanging endpoint never delays reading the identity provider's keys.
  std::unique_ptr<gateway::HttpFetcher> fetcher;

  // Before the writer stops: no more claims, and attempts under way are abandoned (their
  // leases run out, and they are attempted again after a restart: at least once).
  void stop_sending();
};

// All but `deliveries` empty when no endpoint is set. Fails on an endpoint setting that cannot be read.
[[nodiscard]] Result<Webhooks> make_webhooks(const ServerConfig& config, service::WriteQueue& writes,
                                             service::ReadPool& reads, service::EventPublisher& events);

}  // namespace parley::server
