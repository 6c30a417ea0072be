#pragma once
// Webhooks' side of the outbox: inside a change's transaction, one delivery per event and
// endpoint that wants it, so that what commits has its deliveries (kill -9 loses none). With
// no endpoint wanting an event, nothing is built or written for it.
#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "server/service/integration_event.hpp"
#include "server/service/outbox_recorder.hpp"
#include "server/service/webhook_endpoint.hpp"
#include "store/store.hpp"

namespace parley::service {

class PendingEvents;

class WebhookOutbox final : public OutboxRecorder {
 public:
  // The outbox kind of webhook deliveries; their target is the endpoint's URL.
  static constexpr std::string_view kKind = "webhook";

  explicit WebhookOutbox(std::vector<WebhookEndpoint> endpoints) : endpoints_(std::move(endpoints)) {}

  [[nodiscard]] const std::vector<WebhookEndpoint>& endpoints() const { return endpoints_; }
  // The endpoint whose URL is `url`; null when none is configured any more.
  [[nodiscard]] const WebhookEndpoint* endpoint(std::string_view url) const;

  // Writes the deliveries of `events`: the changes', then their messages' message.created.
  // Returns how many it wrote.
  [[nodiscard]] Result<std::size_t> record(store::StoreSession& session, const PendingEvents& events) override;
  // After a commit that wrote deliveries: tells the worker they are there. Set once at start.
  void on_written(std::function<void()> wake) { wake_ = std::move(wake); }
  void written() const override {
    if (wake_) wake_();
  }

 private:
  [[nodiscard]] bool wanted(std::string_view type) const;
  [[nodiscard]] Result<std::size_t> record_event(store::StoreSession& session, const IntegrationEvent& event) const;

  std::vector<WebhookEndpoint> endpoints_;
  std::function<void()> wake_;
};

}  // namespace parley::service
