// Contract: the rooms list, one summary per room of the user.
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

class StoreSummaries : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    if (HasFatalFailure()) return;
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    carol_ = add_user("carol");
  }
  static std::vector<RoomId> room_ids(const std::vector<domain::RoomSummary>& summaries) {
    std::vector<RoomId> ids;
    for (const auto& s : summaries) ids.push_back(s.room.id);
    return ids;
  }

  domain::User alice_, bob_, carol_;
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreSummaries, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreSummaries, ListsTheUsersRoomsWithItsMembershipAndTheMemberCount) {
  auto group = add_group(alice_.id, "team");
  add_member(group.id, bob_.id);
  add_member(group.id, carol_.id);
  add_group(bob_.id, "not alice's");

  auto summaries = must(db().list_room_summaries(alice_.id));
  ASSERT_EQ(summaries.size(), 1u);
  const auto& s = summaries[0];
  EXPECT_EQ(s.room.id, group.id);
  EXPECT_EQ(s.room.name, "team");
  EXPECT_EQ(s.room.kind, domain::RoomKind::group);
  EXPECT_EQ(s.me.user_id, alice_.id);
  EXPECT_EQ(s.me.room_id, group.id);
  EXPECT_EQ(s.me.role, domain::Role::admin);
  EXPECT_EQ(s.member_count, 3);
  EXPECT_FALSE(s.peer);
  EXPECT_FALSE(s.last_message);
  EXPECT_EQ(s.unread_count, 0);

  EXPECT_TRUE(must(db().list_room_summaries(UserId(999))).empty());
}

TEST_P(StoreSummaries, TheLastMessageIsTheNewestOne) {
  auto group = add_group(alice_.id);
  add_member(group.id, bob_.id);
  send_text(group.id, alice_.id, "first");
  auto newest = send_text(group.id, bob_.id, "second");

  auto summary = must(db().find_room_summary(group.id, alice_.id));
  ASSERT_TRUE(summary);
  ASSERT_TRUE(summary->last_message);
  EXPECT_EQ(summary->last_message->id, newest.id);
  EXPECT_EQ(summary->last_message->seq, 2);
  EXPECT_EQ(summary->last_message->text, "second");
  EXPECT_EQ(summary->last_message->sender_id, bob_.id);
  EXPECT_EQ(summary->room.last_seq, 2);
}

// An edit or a reaction takes the room's last seq but is no message of the list: the last
// message is the newest shown as one, in its current state; a system message is one.
TEST_P(StoreSummaries, TheLastMessageIsNeverAnEditOrAReaction) {
  auto group = add_group(alice_.id);
  add_member(group.id, bob_.id);
  auto question = send_text(group.id, bob_.id, "lunch?");
  for (auto type : {domain::MessageType::reaction, domain::MessageType::edit}) {
    domain::Message event = text_message(group.id, alice_.id, type == domain::MessageType::edit ? "lunch at 1?" : "👍");
    event.type = type;
    event.relates_to = question.seq;
    append(event);
  }
  auto summary = must(db().find_room_summary(group.id, alice_.id));
  ASSERT_TRUE(summary && summary->last_message);
  EXPECT_EQ(summary->room.last_seq, question.seq + 2);
  EXPECT_EQ(summary->last_message->seq, question.seq);
  auto listed = must(db().list_room_summaries(bob_.id));
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_TRUE(listed[0].last_message);
  EXPECT_EQ(listed[0].last_message->seq, question.seq);

  auto joined = send_system(group.id, alice_.id, domain::SystemEvent::member_added, carol_.id);
  summary = must(db().find_room_summary(group.id, alice_.id));
  ASSERT_TRUE(summary && summary->last_message);
  EXPECT_EQ(summary->last_message->seq, joined.seq);
}

TEST_P(StoreSummaries, UnreadCountsOthersMessagesAfterMyReadWatermarkButNotSystemOnes) {
  auto group = add_group(alice_.id);
  add_member(group.id, bob_.id);
  add_member(group.id, carol_.id);
  send_text(group.id, bob_.id, "1");                                              // seq 1
  send_text(group.id, alice_.id, "2 mine");                                       // seq 2
  send_text(group.id, carol_.id, "3");                                            // seq 3
  send_system(group.id, bob_.id, domain::SystemEvent::room_renamed);              // seq 4
  send_text(group.id, bob_.id, "5");                                              // seq 5
  EXPECT_EQ(must(db().find_room_summary(group.id, alice_.id))->unread_count, 3);  // 1, 3, 5

  must(db().advance_watermarks(group.id, alice_.id, 3, 3));
  EXPECT_EQ(must(db().find_room_summary(group.id, alice_.id))->unread_count, 1);  // 5
  // Bob's own messages never count for him; the system message he caused does not either.
  EXPECT_EQ(must(db().find_room_summary(group.id, bob_.id))->unread_count, 2);  // 2, 3

  must(db().advance_watermarks(group.id, alice_.id, 5, 5));
  EXPECT_EQ(must(db().find_room_summary(group.id, alice_.id))->unread_count, 0);
}

TEST_P(StoreSummaries, UnreadStaysExactAsMyOwnMessagesAndSystemOnesInterleaveWithReadsAndJoins) {
  auto group = add_group(alice_.id);
  add_member(group.id, bob_.id);
  send_text(group.id, alice_.id, "1 mine");                                  // seq 1
  send_text(group.id, bob_.id, "2");                                         // seq 2
  send_text(group.id, alice_.id, "3 mine");                                  // seq 3
  send_system(group.id, bob_.id, domain::SystemEvent::room_renamed);         // seq 4
  send_text(group.id, bob_.id, "5");                                         // seq 5
  send_text(group.id, alice_.id, "6 mine");                                  // seq 6
  auto unread = [&](UserId user) { return must(db().find_room_summary(group.id, user))->unread_count; };
  EXPECT_EQ(unread(alice_.id), 2);  // 2, 5
  EXPECT_EQ(unread(bob_.id), 3);    // 1, 3, 6

  // A read that stops on a system message, past some of my own.
  must(db().advance_watermarks(group.id, alice_.id, 4, 4));
  EXPECT_EQ(unread(alice_.id), 1);  // 5
  // A read that asks for less than I read before changes nothing.
  must(db().advance_watermarks(group.id, alice_.id, 2, 2));
  EXPECT_EQ(unread(alice_.id), 1);
  // A read beyond the room's last message stops at it.
  must(db().advance_watermarks(group.id, bob_.id, 99, 99));
  EXPECT_EQ(unread(bob_.id), 0);

  // Carol joins with nothing read: everything but the system message is unread to her, and
  // her own messages from then on are not.
  add_member(group.id, carol_.id);
  EXPECT_EQ(unread(carol_.id), 5);
  send_text(group.id, carol_.id, "7 carol's");  // seq 7
  EXPECT_EQ(unread(carol_.id), 5);
  EXPECT_EQ(unread(alice_.id), 2);  // 5, 7
  EXPECT_EQ(unread(bob_.id), 1);    // 7

  // In the rooms list as in the one room.
  auto listed = must(db().list_room_summaries(carol_.id));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].unread_count, 5);
}

TEST_P(StoreSummaries, RoomsAreOrderedByLatestActivityThenByNewestRoom) {
  auto first = add_group(alice_.id, "first");
  auto second = add_group(alice_.id, "second");
  auto third = add_group(alice_.id, "third");
  // No messages yet: newest created first.
  EXPECT_EQ(room_ids(must(db().list_room_summaries(alice_.id))), (std::vector<RoomId>{third.id, second.id, first.id}));

  send_text(first.id, alice_.id, "wakes the first");
  EXPECT_EQ(room_ids(must(db().list_room_summaries(alice_.id))), (std::vector<RoomId>{first.id, third.id, second.id}));

  send_text(second.id, alice_.id, "then the second");
  EXPECT_EQ(room_ids(must(db().list_room_summaries(alice_.id))), (std::vector<RoomId>{second.id, first.id, third.id}));
}

TEST_P(StoreSummaries, RoomsWithTheSameActivityTimeListTheHigherIdFirst) {
  std::vector<RoomId> created;
  for (const char* name : {"a", "b", "c"}) {
    auto room = must(db().insert_room(
        domain::Room{.kind = domain::RoomKind::group, .name = name, .created_by = alice_.id, .created_at_ms = 500},
        std::nullopt));
    must(db().insert_member(domain::Member{.room_id = room.id, .user_id = alice_.id, .role = domain::Role::admin}));
    created.push_back(room.id);
  }
  EXPECT_EQ(room_ids(must(db().list_room_summaries(alice_.id))),
            (std::vector<RoomId>{created[2], created[1], created[0]}));
}

TEST_P(StoreSummaries, ADirectRoomNamesThePeer) {
  auto direct = add_direct(alice_.id, bob_.id);
  auto for_alice = must(db().find_room_summary(direct.id, alice_.id));
  ASSERT_TRUE(for_alice);
  EXPECT_EQ(for_alice->room.kind, domain::RoomKind::direct);
  EXPECT_EQ(for_alice->peer, bob_.id);
  EXPECT_EQ(for_alice->member_count, 2);
  auto for_bob = must(db().find_room_summary(direct.id, bob_.id));
  ASSERT_TRUE(for_bob);
  EXPECT_EQ(for_bob->peer, alice_.id);
}

TEST_P(StoreSummaries, FindingOneSummaryGivesTheListsEntryAndNothingForANonMember) {
  auto group = add_group(alice_.id);
  add_member(group.id, bob_.id);
  auto other = add_direct(alice_.id, carol_.id);
  send_text(group.id, bob_.id, "hi");
  send_text(other.id, carol_.id, "hey");

  auto listed = must(db().list_room_summaries(alice_.id));
  ASSERT_EQ(listed.size(), 2u);
  for (const auto& entry : listed) {
    auto found = must(db().find_room_summary(entry.room.id, alice_.id));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->room.id, entry.room.id);
    EXPECT_EQ(found->me.user_id, alice_.id);
    EXPECT_EQ(found->member_count, entry.member_count);
    EXPECT_EQ(found->peer, entry.peer);
    ASSERT_TRUE(found->last_message);
    EXPECT_EQ(found->last_message->id, entry.last_message->id);
    EXPECT_EQ(found->unread_count, entry.unread_count);
    EXPECT_EQ(found->unread_count, 1);
  }
  EXPECT_FALSE(must(db().find_room_summary(group.id, carol_.id)));
  EXPECT_FALSE(must(db().find_room_summary(RoomId(999), alice_.id)));
}

}  // namespace
}  // namespace parley::store::testing
