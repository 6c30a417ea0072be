#pragma once
// What the operator's backend sees of webhook deliveries: the recent ones with their outcome,
// and a redelivery of one (docs/integration.md; served under /v1/server/webhooks/...).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/delivery.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct DeliveryPage {
  std::vector<domain::Delivery> deliveries;  // newest first
  bool has_more = false;
  std::int64_t next_before = 0;  // pass as `before` for the next older page
};

class WebhookDeliveriesService {
 public:
  // `made_due` runs after a redelivery commits: the worker's wake-up, so it goes at once.
  WebhookDeliveriesService(WriteQueue& writes, ReadPool& reads, std::function<void()> made_due)
      : writes_(writes), reads_(reads), made_due_(std::move(made_due)) {}

  // `before` <= 0: from the newest. `limit` 0: the default page size (50; at most 200).
  void list(std::int64_t before, int limit, Done<DeliveryPage> done);
  // Makes the delivery `id` pending again with its attempts from zero, due now, whatever its
  // status; not_found when there is none. The receiver sees the same webhook-id again.
  void redeliver(std::string id, Done<domain::Delivery> done);

 private:
  WriteQueue& writes_;
  ReadPool& reads_;
  std::function<void()> made_due_;
};

}  // namespace parley::service
