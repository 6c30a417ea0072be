// Contract: the outbox. Deliveries are claimed oldest first under a lease, one target's
// deliveries under one order key one after another, never by two sessions at once; outcomes,
// listing, requeueing and the clean-up of finished ones.
#include <string>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::DeliveryStatus;

class StoreOutbox : public StoreContract {
 protected:
  void add(const std::string& id, const std::string& target, std::optional<std::string> order_key) {
    must(db().begin_write());
    must(db().insert_delivery({.id = id, .kind = "webhook", .target = target, .order_key = std::move(order_key),
                               .event_type = "message.created", .payload = "{\"n\":\"" + id + "\"}",
                               .created_at_ms = now_}));
    must(db().commit());
  }
  std::vector<domain::Delivery> claim(StoreSession& session, int limit = 10) {
    must(session.begin_write());
    auto claimed = must(session.claim_deliveries("webhook", now_, now_ + kLease, limit));
    must(session.commit());
    return claimed;
  }
  void finish(const std::string& id, DeliveryStatus status, TimestampMs next = 0) {
    must(db().begin_write());
    must(db().finish_attempt({.id = id, .status = status, .next_attempt_ms = next, .http_status = 500,
                              .error = "HTTP 500", .at_ms = now_}));
    must(db().commit());
  }
  static std::vector<std::string> ids(const std::vector<domain::Delivery>& deliveries) {
    std::vector<std::string> out;
    for (const auto& d : deliveries) out.push_back(d.id);
    return out;
  }

  static constexpr TimestampMs kLease = 10'000;
  TimestampMs now_ = 1'000'000;
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreOutbox, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreOutbox, ClaimsOldestFirstAndOneAtATimePerTargetAndOrderKey) {
  add("a1", "http://a", "room-1");
  add("a2", "http://a", "room-1");
  add("b1", "http://b", "room-1");
  add("a3", "http://a", "room-2");
  add("u1", "http://a", std::nullopt);
  add("u2", "http://a", std::nullopt);
  auto claimed = claim(db());
  EXPECT_EQ(ids(claimed), (std::vector<std::string>{"a1", "b1", "a3", "u1", "u2"}));
  EXPECT_EQ(claimed.front().attempts, 1);
  EXPECT_EQ(claimed.front().payload, "{\"n\":\"a1\"}");
  // Leased: nothing more until a1 ends, and then a2 follows.
  EXPECT_TRUE(claim(db()).empty());
  finish("a1", DeliveryStatus::delivered);
  EXPECT_EQ(ids(claim(db())), (std::vector<std::string>{"a2"}));
}

TEST_P(StoreOutbox, ALaterDeliveryWaitsForAnEarlierOneBeingRetried) {
  add("a1", "http://a", "room-1");
  add("a2", "http://a", "room-1");
  ASSERT_EQ(ids(claim(db())), (std::vector<std::string>{"a1"}));
  finish("a1", DeliveryStatus::pending, now_ + 5'000);
  EXPECT_TRUE(claim(db()).empty()) << "a1 is not due, and a2 waits for it";
  now_ += 5'000;
  auto again = claim(db());
  ASSERT_EQ(ids(again), (std::vector<std::string>{"a1"}));
  EXPECT_EQ(again.front().attempts, 2);
  EXPECT_EQ(again.front().last_http_status, 500);
  finish("a1", DeliveryStatus::failed);
  EXPECT_EQ(ids(claim(db())), (std::vector<std::string>{"a2"})) << "a failed delivery holds nothing back";
}

TEST_P(StoreOutbox, AnExpiredLeaseIsClaimedAgainByAnotherSession) {
  add("a1", "http://a", "room-1");
  auto other = open_session();
  ASSERT_EQ(claim(db()).size(), 1u);
  EXPECT_TRUE(claim(*other).empty()) << "leased by the first session";
  now_ += kLease;
  EXPECT_EQ(ids(claim(*other)), (std::vector<std::string>{"a1"})) << "its node is gone: another claims it";
}

TEST_P(StoreOutbox, ListsNewestFirstByPagesAndRequeues) {
  for (int i = 0; i < 5; ++i) add("d" + std::to_string(i), "http://a", "room-1");
  auto first = must(db().list_deliveries("webhook", 0, 3));
  ASSERT_EQ(ids(first), (std::vector<std::string>{"d4", "d3", "d2"}));
  auto second = must(db().list_deliveries("webhook", first.back().position, 3));
  EXPECT_EQ(ids(second), (std::vector<std::string>{"d1", "d0"}));
  EXPECT_TRUE(must(db().list_deliveries("push", 0, 10)).empty());

  ASSERT_EQ(claim(db(), 1).size(), 1u);
  finish("d0", DeliveryStatus::failed);
  must(db().begin_write());
  auto requeued = must(db().requeue_delivery("d0", now_));
  auto missing = must(db().requeue_delivery("nope", now_));
  must(db().commit());
  ASSERT_TRUE(requeued);
  EXPECT_EQ(requeued->status, DeliveryStatus::pending);
  EXPECT_EQ(requeued->attempts, 0);
  EXPECT_EQ(requeued->last_error, "HTTP 500");
  EXPECT_FALSE(missing);
  now_ += kLease;
  EXPECT_EQ(ids(claim(db(), 1)), (std::vector<std::string>{"d0"}));
}

TEST_P(StoreOutbox, ARequeueWaitsWhileItOrALaterDeliveryOfItsRoomIsUnderWay) {
  add("first", "http://a", "room-1");
  add("second", "http://a", "room-1");
  add("elsewhere", "http://a", "room-2");
  const auto requeue = [&](const std::string& id) {
    must(db().begin_write());
    auto result = db().requeue_delivery(id, now_);
    must(db().commit());
    return result;
  };
  ASSERT_EQ(ids(claim(db(), 1)), (std::vector<std::string>{"first"}));
  // Its own attempt is under way: the attempt's outcome would overwrite the requeue.
  auto during = requeue("first");
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, ErrorCode::conflict);
  finish("first", DeliveryStatus::delivered);
  ASSERT_EQ(ids(claim(db(), 1)), (std::vector<std::string>{"second"}));
  // A later delivery of its room is under way: both would go at once, out of order.
  auto behind = requeue("first");
  ASSERT_FALSE(behind);
  EXPECT_EQ(behind.error().code, ErrorCode::conflict);
  finish("second", DeliveryStatus::delivered);
  auto requeued = requeue("first");
  ASSERT_TRUE(requeued && *requeued);
  EXPECT_EQ((*requeued)->status, DeliveryStatus::pending);
}

TEST_P(StoreOutbox, CleanUpRemovesOnlyFinishedDeliveriesOlderThanTheCut) {
  add("done", "http://a", std::nullopt);
  add("failed", "http://a", std::nullopt);
  add("waiting", "http://a", "room-1");
  add("after", "http://a", "room-1");
  claim(db());
  finish("done", DeliveryStatus::delivered);
  finish("failed", DeliveryStatus::failed);
  finish("waiting", DeliveryStatus::pending, now_ + 1);
  must(db().begin_write());
  EXPECT_EQ(must(db().delete_finished_deliveries(now_ + 1, 100)), 2);
  must(db().commit());
  EXPECT_EQ(ids(must(db().list_deliveries("webhook", 0, 10))), (std::vector<std::string>{"after", "waiting"}));
}

TEST_P(StoreOutbox, ANewerDeliveryReplacesOnlyTheNewestWaitingOneOfItsKindTargetKeyAndEventType) {
  add("a1", "http://a", "room-1");
  ASSERT_EQ(ids(claim(db())), (std::vector<std::string>{"a1"}));  // under way: left alone
  auto newer = [](const std::string& kind, const std::string& target, const std::string& key,
                  const std::string& event_type = "message.created") {
    return store::NewDelivery{.id = "unused", .kind = kind, .target = target, .order_key = key,
                              .event_type = event_type, .payload = "{\"n\":\"newer\"}", .created_at_ms = 1};
  };
  must(db().begin_write());
  // Only a1 is there, and it is under way: nothing to replace.
  EXPECT_FALSE(must(db().replace_waiting_delivery(newer("webhook", "http://a", "room-1"), now_)));
  must(db().commit());
  add("a2", "http://a", "room-1");
  add("a3", "http://a", "room-1");
  add("b1", "http://b", "room-1");
  add("a4", "http://a", "room-2");
  must(db().begin_write());
  EXPECT_TRUE(must(db().replace_waiting_delivery(newer("webhook", "http://a", "room-1"), now_)));
  EXPECT_FALSE(must(db().replace_waiting_delivery(newer("push", "http://a", "room-1"), now_)));
  EXPECT_FALSE(must(db().replace_waiting_delivery(newer("webhook", "http://a", "room-1", "other.event"), now_)));
  must(db().commit());
  for (const auto& d : must(db().list_deliveries("webhook", 0, 10))) {
    EXPECT_EQ(d.status, DeliveryStatus::pending) << d.id;
    EXPECT_EQ(d.event_type, "message.created") << d.id;
    const bool replaced = d.id == "a3";  // the newest waiting: keeps its id and place, with the newer content
    EXPECT_EQ(d.payload, replaced ? "{\"n\":\"newer\"}" : "{\"n\":\"" + d.id + "\"}") << d.id;
  }
  EXPECT_EQ(must(db().list_deliveries("webhook", 0, 10)).size(), 5u);
}

}  // namespace
}  // namespace parley::store::testing
