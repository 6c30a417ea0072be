// The single writer's two lanes, over a real SQLite store: outbox work in the background lane
// never holds a send back by more than one job, and never starves.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "server/service/write_queue.hpp"
#include "scratch_sqlite_store.hpp"

namespace parley::service {
namespace {

class WriteQueueLanes : public ::testing::Test {
 protected:
  void TearDown() override { writes_->stop(); }

  // A job that notes its name when its completion runs (after its batch's commit).
  std::function<void(Result<int>)> note(std::string name) {
    return [this, name = std::move(name)](Result<int>) {
      std::lock_guard lock(mutex_);
      finished_.push_back(name);
    };
  }
  static std::function<Result<int>(store::StoreSession&)> nothing() {
    return [](store::StoreSession&) -> Result<int> { return 0; };
  }
  // Holds the writer inside a foreground job until `release` is fulfilled.
  void hold_writer(std::shared_future<void> release) {
    std::promise<void> holding;
    auto held = holding.get_future();
    writes_->submit<int>(
        [&holding, release](store::StoreSession&) -> Result<int> {
          holding.set_value();
          release.wait();
          return 0;
        },
        note("holder"));
    held.wait();  // the writer is inside the job: whatever comes next queues behind it
  }
  std::vector<std::string> finished() {
    std::lock_guard lock(mutex_);
    return finished_;
  }

  testing::ScratchSqliteStore store_{"parley-writer"};
  std::unique_ptr<WriteQueue> writes_ = std::make_unique<WriteQueue>(store_.open_session(), WriteQueue::Limits{});
  std::mutex mutex_;
  std::vector<std::string> finished_;
};

TEST_F(WriteQueueLanes, ASendQueuedBehindOutboxWorkWaitsForOneOutboxJobOnly) {
  std::promise<void> release;
  hold_writer(release.get_future().share());
  for (int i = 1; i <= 5; ++i) writes_->submit_background<int>(nothing(), note("outbox " + std::to_string(i)));
  writes_->submit<int>(nothing(), note("send"));
  release.set_value();
  writes_->stop();  // finishes everything queued

  // The holder's batch takes one outbox job (so the outbox always moves), sees the send
  // waiting and commits; the send's batch comes next, and the rest of the outbox after it.
  EXPECT_EQ(finished(), (std::vector<std::string>{"holder", "outbox 1", "send", "outbox 2", "outbox 3", "outbox 4",
                                                  "outbox 5"}));
}

TEST_F(WriteQueueLanes, OutboxWorkAloneRunsInOrderAndChangesTheStore) {
  for (int i = 1; i <= 3; ++i) {
    writes_->submit_background<int>(
        [i](store::StoreSession& session) -> Result<int> {
          PARLEY_CHECK(session.insert_delivery(store::NewDelivery{.id = "d" + std::to_string(i),
                                                                  .kind = "test",
                                                                  .target = "t",
                                                                  .event_type = "e",
                                                                  .payload = "{}",
                                                                  .created_at_ms = i}));
          return i;
        },
        note("outbox " + std::to_string(i)));
  }
  writes_->stop();
  EXPECT_EQ(finished(), (std::vector<std::string>{"outbox 1", "outbox 2", "outbox 3"}));

  auto listed = store_.open_session()->list_deliveries("test", 0, 10);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id, "d3");  // newest first
}

TEST_F(WriteQueueLanes, AnOutboxJobThatRefusesIsUndoneAloneAndTheOthersCommit) {
  std::promise<void> release;
  hold_writer(release.get_future().share());
  Result<int> refused = 0;
  writes_->submit_background<int>(
      [](store::StoreSession& session) -> Result<int> {
        PARLEY_CHECK(session.insert_delivery(store::NewDelivery{
            .id = "undone", .kind = "test", .target = "t", .event_type = "e", .payload = "{}", .created_at_ms = 1}));
        return fail(ErrorCode::conflict, "refused after writing");
      },
      [&refused](Result<int> r) { refused = std::move(r); });
  writes_->submit_background<int>(
      [](store::StoreSession& session) -> Result<int> {
        PARLEY_CHECK(session.insert_delivery(store::NewDelivery{
            .id = "kept", .kind = "test", .target = "t", .event_type = "e", .payload = "{}", .created_at_ms = 2}));
        return 2;
      },
      note("kept"));
  release.set_value();
  writes_->stop();

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  auto listed = store_.open_session()->list_deliveries("test", 0, 10);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, "kept");
}

}  // namespace
}  // namespace parley::service
