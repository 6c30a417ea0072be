// Push's side of the outbox over a real SQLite store: one `push` row per message, and a room's
// latest row not yet expanded taken over by the same sender's next message only (docs/push.md,
// Coalescing): whoever is notified depends on who sent it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "server/service/committed.hpp"
#include "server/service/push_outbox.hpp"
#include "scratch_sqlite_store.hpp"

namespace parley::service {
namespace {

class PushOutboxRecord : public ::testing::Test {
 protected:
  void SetUp() override { in_use_.set(); }  // a target exists somewhere

  // Records one committed message of room 7, as a send's transaction does.
  void record(std::int64_t id, std::int64_t sender) {
    PendingEvents events;
    events.message(domain::Message{.id = MessageId(id), .room_id = RoomId(7), .seq = id, .sender_id = UserId(sender),
                                   .client_msg_id = "c" + std::to_string(id), .text = "message " + std::to_string(id)});
    ASSERT_TRUE(session_->begin_write());
    auto written = outbox_.record(*session_, events);
    ASSERT_TRUE(written) << written.error().message;
    ASSERT_TRUE(session_->commit());
  }
  // The message ids the room's `push` rows hold, in the order they are expanded.
  std::vector<std::int64_t> rows() {
    auto listed = session_->list_deliveries(std::string(PushOutbox::kKind), 0, 100);
    EXPECT_TRUE(listed);
    std::vector<std::int64_t> ids;
    if (!listed) return ids;
    for (auto it = listed->rbegin(); it != listed->rend(); ++it)
      ids.push_back(boost::json::parse(it->payload).at("message_id").to_number<std::int64_t>());
    return ids;
  }

  testing::ScratchSqliteStore store_{"parley-push-outbox"};
  std::unique_ptr<store::StoreSession> session_ = store_.open_session();
  PushInUse in_use_;
  PushOutbox outbox_{in_use_};
};

TEST_F(PushOutboxRecord, ARoomsWaitingRowIsTakenOverOnlyByTheSameSendersNextMessage) {
  record(1, 20);  // bob
  record(2, 10);  // alice answers: her message notifies bob, so it is a row of its own
  EXPECT_EQ(rows(), (std::vector<std::int64_t>{1, 2}));
  record(3, 20);  // bob again: the newest waiting row is alice's, so another row
  record(4, 20);  // and again: his waiting row takes this one
  record(5, 20);
  EXPECT_EQ(rows(), (std::vector<std::int64_t>{1, 2, 5}));
}

}  // namespace
}  // namespace parley::service
