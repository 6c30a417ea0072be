#include "server/service/webhook_deliveries_service.hpp"

#include "core/clock.hpp"
#include "server/service/webhook_outbox.hpp"

namespace parley::service {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;

}  // namespace

void WebhookDeliveriesService::list(std::int64_t before, int limit, Done<DeliveryPage> done) {
  if (limit < 0 || limit > kMaxPage) return done(fail(ErrorCode::invalid_payload, "limit must be from 1 to 200"));
  if (before < 0) return done(fail(ErrorCode::invalid_payload, "before must not be negative"));
  const int size = limit == 0 ? kDefaultPage : limit;
  reads_.submit<DeliveryPage>(
      [before, size](store::StoreSession& session) -> Result<DeliveryPage> {
        // One more than asked tells whether an older page exists without a second query.
        PARLEY_TRY(found, session.list_deliveries(std::string(WebhookOutbox::kKind), before, size + 1));
        DeliveryPage page;
        page.has_more = static_cast<int>(found.size()) > size;
        if (page.has_more) found.pop_back();
        page.next_before = page.has_more ? found.back().position : 0;  // 0: no older page
        page.deliveries = std::move(found);
        return page;
      },
      std::move(done));
}

void WebhookDeliveriesService::redeliver(std::string id, Done<domain::Delivery> done) {
  writes_.submit<domain::Delivery>(
      [id = std::move(id)](store::StoreSession& session) -> Result<domain::Delivery> {
        PARLEY_TRY(requeued, session.requeue_delivery(id, now_ms()));
        if (!requeued || requeued->kind != WebhookOutbox::kKind) return fail(ErrorCode::not_found, "no such delivery");
        return std::move(*requeued);
      },
      [this, done = std::move(done)](Result<domain::Delivery> requeued) {
        if (requeued && made_due_) made_due_();
        done(std::move(requeued));
      });
}

}  // namespace parley::service
