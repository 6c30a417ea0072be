#pragma once
// Push notifications as the settings describe them (docs/push.md): the outbox recorder that
// writes a `push` delivery with each message, and two workers on the one outbox: one expands
// each message into a delivery per target (PushFanout), the other sends those (PushSender)
// through a fetcher of its own.
#include <memory>

#include "server/gateway/http_fetch.hpp"
#include "server/server_config.hpp"
#include "server/service/delivery_worker.hpp"
#include "server/service/event_publisher.hpp"
#include "server/service/presence_service.hpp"
#include "server/service/push_fanout.hpp"
#include "server/service/push_outbox.hpp"
#include "server/service/push_sender.hpp"
#include "server/service/push_targets_service.hpp"

namespace parley::server {

struct Push {
  std::unique_ptr<service::PushOutbox> outbox;
  std::unique_ptr<service::PushFanout> fanout;
  std::unique_ptr<service::DeliveryWorker> fanout_worker;
  std::unique_ptr<service::PushSender> sender;
  std::unique_ptr<service::DeliveryWorker> sender_worker;
  // Its own fetcher: a hanging push gateway never delays webhooks or the identity provider's keys.
  std::unique_ptr<gateway::HttpFetcher> fetcher;

  // Before the writer stops: no more claims; attempts under way are abandoned (their leases run
  // out, and they are attempted again after a restart: at least once).
  void stop_sending();
};

[[nodiscard]] Push make_push(const ServerConfig& config, service::WriteQueue& writes, service::ReadPool& reads,
                             service::EventPublisher& events, service::PresenceService& presence,
                             service::PushInUse& in_use, const service::WebPushSigner& web_push);

}  // namespace parley::server
