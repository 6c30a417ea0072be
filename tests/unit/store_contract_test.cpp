// Contract: transactions, savepoints, and what survives across sessions and restarts. The
// other store_*_test.cpp files hold the contract of each group of StoreSession methods; all of
// them run once per backend listed in store_backends.cpp.
#include "store_contract.hpp"

#include <algorithm>
#include <numeric>
#include <thread>
#include <vector>

namespace parley::store::testing {
namespace {

class StoreTransactions : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    if (HasFatalFailure()) return;
    alice_ = add_user("alice");
    room_ = add_group(alice_.id);
  }
  domain::Message append_in_transaction(const std::string& text) {
    return must(db().append_message(text_message(room_.id, alice_.id, text)), "append_message");
  }
  std::vector<std::string> texts(StoreSession& session) {
    std::vector<std::string> result;
    for (const auto& m : must(session.list_messages_after(room_.id, 0, 100))) result.push_back(m.text);
    return result;
  }

  domain::User alice_;
  domain::Room room_;
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreTransactions, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreTransactions, CommitKeepsEveryWriteOfTheTransaction) {
  must(db().begin_write());
  append_in_transaction("one");
  must(db().rename_room(room_.id, "renamed"));
  must(db().commit());
  EXPECT_EQ(texts(db()), (std::vector<std::string>{"one"}));
  EXPECT_EQ(stored_room(room_.id).name, "renamed");
}

TEST_P(StoreTransactions, RollbackDiscardsEveryWriteOfTheTransaction) {
  must(db().begin_write());
  append_in_transaction("gone");
  must(db().rename_room(room_.id, "renamed"));
  add_user("bob");
  db().rollback();

  EXPECT_TRUE(texts(db()).empty());
  auto room = stored_room(room_.id);
  EXPECT_EQ(room.name, "team");
  EXPECT_EQ(room.last_seq, 0);
  EXPECT_FALSE(must(db().find_user_by_username("bob")));
  // The seq that was rolled back is given again: no gap.
  EXPECT_EQ(send_text(room_.id, alice_.id, "kept").seq, 1);
}

TEST_P(StoreTransactions, RollingBackToASavepointUndoesOnlyItsPart) {
  must(db().begin_write());
  append_in_transaction("before");
  must(db().savepoint());
  append_in_transaction("undone");
  db().rollback_to_savepoint();
  append_in_transaction("after");
  must(db().commit());

  EXPECT_EQ(texts(db()), (std::vector<std::string>{"before", "after"}));
  auto seqs = must(db().list_messages_after(room_.id, 0, 10));
  ASSERT_EQ(seqs.size(), 2u);
  EXPECT_EQ(seqs[1].seq, 2);
}

TEST_P(StoreTransactions, AReleasedSavepointIsKeptByTheCommit) {
  must(db().begin_write());
  must(db().savepoint());
  append_in_transaction("inside");
  must(db().release_savepoint());
  must(db().commit());
  EXPECT_EQ(texts(db()), (std::vector<std::string>{"inside"}));
}

TEST_P(StoreTransactions, ABatchSurvivesOneFailedOperationThroughASavepoint) {
  // The group commit's pattern: each operation in a savepoint; a failed one is undone alone.
  auto first = send_text(room_.id, alice_.id, "original");
  must(db().begin_write());
  for (const std::string& text : {std::string("a"), std::string("duplicate"), std::string("b")}) {
    must(db().savepoint());
    auto message = text_message(room_.id, alice_.id, text);
    if (text == "duplicate") message.client_msg_id = first.client_msg_id;
    if (db().append_message(message)) {
      must(db().release_savepoint());
    } else {
      db().rollback_to_savepoint();
    }
  }
  must(db().commit());
  EXPECT_EQ(texts(db()), (std::vector<std::string>{"original", "a", "b"}));
}

TEST_P(StoreTransactions, AnotherSessionSeesOnlyCommittedData) {
  auto reader = open_session();
  must(db().begin_write());
  append_in_transaction("pending");
  EXPECT_TRUE(texts(*reader).empty());
  must(db().commit());
  EXPECT_EQ(texts(*reader), (std::vector<std::string>{"pending"}));
}

TEST_P(StoreTransactions, SeqsContinueAcrossSessions) {
  send_text(room_.id, alice_.id, "from the first session");
  auto second = open_session();
  must(second->begin_write());
  auto stored = must(second->append_message(text_message(room_.id, alice_.id, "from the second")));
  must(second->commit());
  EXPECT_EQ(stored.seq, 2);
  EXPECT_EQ(stored_room(room_.id).last_seq, 2);
}

TEST_P(StoreTransactions, WritersInParallelSessionsShareOneGaplessSequence) {
  // Each thread has its own session, as the server's writer and readers do; the write lock
  // taken by begin_write makes the second writer wait rather than take the same seq.
  constexpr int kPerWriter = 10;
  struct Writer {
    std::unique_ptr<StoreSession> session;
    std::vector<domain::Message> to_send;  // built here: the fixture's helpers are not thread-safe
    std::vector<Seq> seqs;
  };
  Writer writers[2];
  for (Writer& writer : writers) {
    writer.session = open_session();
    for (int i = 0; i < kPerWriter; ++i) writer.to_send.push_back(text_message(room_.id, alice_.id, "parallel"));
  }
  auto write_all = [](Writer* writer) {
    for (const auto& message : writer->to_send) {
      auto begun = writer->session->begin_write();
      if (!begun) return ADD_FAILURE() << begun.error().message;
      auto stored = writer->session->append_message(message);
      if (!stored) return ADD_FAILURE() << stored.error().message;
      auto committed = writer->session->commit();
      if (!committed) return ADD_FAILURE() << committed.error().message;
      writer->seqs.push_back(stored->seq);
    }
  };
  std::thread first(write_all, &writers[0]);
  std::thread second(write_all, &writers[1]);
  first.join();
  second.join();

  std::vector<Seq> all = writers[0].seqs;
  all.insert(all.end(), writers[1].seqs.begin(), writers[1].seqs.end());
  std::sort(all.begin(), all.end());
  std::vector<Seq> expected(2 * kPerWriter);
  std::iota(expected.begin(), expected.end(), Seq{1});
  EXPECT_EQ(all, expected);
  EXPECT_EQ(stored_room(room_.id).last_seq, 2 * kPerWriter);
}

TEST_P(StoreTransactions, ASavepointOutsideATransactionIsRefused) { EXPECT_FALSE(db().savepoint()); }

class StoreDurability : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreDurability, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreDurability, ARestartedStoreSeesWhatWasCommitted) {
  auto alice = add_user("alice");
  auto room = add_group(alice.id, "kept");
  send_text(room.id, alice.id, "survives");
  must(db().insert_refresh_token(RefreshToken{.token_hash = "t", .user_id = alice.id, .family_id = "f"}));
  store().checkpoint();

  auto restarted = database().open_store();
  must(restarted->migrate(), "migrate after restart");
  auto session = must(restarted->open_session());
  EXPECT_EQ(must(session->find_user_by_username("alice"))->id, alice.id);
  auto kept = must(session->find_room_with_member(room.id, alice.id));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->room.name, "kept");
  EXPECT_EQ(kept->room.last_seq, 1);
  ASSERT_TRUE(kept->member);
  EXPECT_EQ(kept->member->role, domain::Role::admin);
  auto history = must(session->list_messages_before(room.id, 0, 10));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].text, "survives");
  EXPECT_TRUE(must(session->find_refresh_token("t")));
  EXPECT_EQ(must(session->find_member(room.id, alice.id))->role, domain::Role::admin);
}

TEST_P(StoreDurability, MigratingAgainChangesNothing) {
  auto alice = add_user("alice");
  must(store().migrate(), "second migrate");
  must(store().migrate(), "third migrate");
  EXPECT_EQ(must(db().find_user(alice.id))->username, "alice");
  // The schema is still whole: its unique rules still hold.
  auto again = db().insert_user(NewUser{.username = "ALICE", .display_name = "x", .password_hash = "h"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::username_taken);
}

TEST_P(StoreDurability, AnUncommittedTransactionIsGoneWhenItsSessionCloses) {
  auto alice = add_user("alice");
  auto room = add_group(alice.id);
  {
    auto writer = open_session();
    must(writer->begin_write());
    must(writer->append_message(text_message(room.id, alice.id, "never committed")));
  }
  EXPECT_TRUE(must(db().list_messages_after(room.id, 0, 10)).empty());
  EXPECT_EQ(stored_room(room.id).last_seq, 0);
  EXPECT_EQ(send_text(room.id, alice.id, "committed").seq, 1);
}

}  // namespace
}  // namespace parley::store::testing
