// Contract: delivery and read watermarks only move forward, and never past the last message;
// the read position shared with the other members follows them only while the member's read
// receipts go to everyone.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

class StoreWatermarks : public StoreGroupOfTwo {
 protected:
  void SetUp() override {
    StoreGroupOfTwo::SetUp();
    if (HasFatalFailure()) return;
    for (int i = 0; i < 10; ++i) send_text(room_.id, alice_.id, "m" + std::to_string(i));
  }
  domain::Member advance(Seq delivered, Seq read) {
    return must(db().advance_watermarks(room_.id, bob_.id, delivered, read), "advance_watermarks");
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreWatermarks, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreWatermarks, AdvancingReturnsAndStoresTheNewWatermarks) {
  auto member = advance(5, 3);
  EXPECT_EQ(member.room_id, room_.id);
  EXPECT_EQ(member.user_id, bob_.id);
  EXPECT_EQ(member.role, domain::Role::member);
  EXPECT_EQ(member.delivered_seq, 5);
  EXPECT_EQ(member.read_seq, 3);
  auto stored = must(db().find_member(room_.id, bob_.id));
  EXPECT_EQ(stored->delivered_seq, 5);
  EXPECT_EQ(stored->read_seq, 3);
}

TEST_P(StoreWatermarks, LowerValuesThanTheStoredOnesAreIgnored) {
  advance(6, 4);
  auto member = advance(2, 1);
  EXPECT_EQ(member.delivered_seq, 6);
  EXPECT_EQ(member.read_seq, 4);
  member = advance(0, 5);  // one moves, the other stays
  EXPECT_EQ(member.delivered_seq, 6);
  EXPECT_EQ(member.read_seq, 5);
}

TEST_P(StoreWatermarks, DeliveredNeverEndsBelowRead) {
  auto member = advance(0, 7);
  EXPECT_EQ(member.read_seq, 7);
  EXPECT_EQ(member.delivered_seq, 7);
  member = advance(3, 8);
  EXPECT_EQ(member.read_seq, 8);
  EXPECT_EQ(member.delivered_seq, 8);
}

TEST_P(StoreWatermarks, WatermarksStopAtTheRoomsLastMessage) {
  auto member = advance(50, 40);
  EXPECT_EQ(member.delivered_seq, 10);
  EXPECT_EQ(member.read_seq, 10);
  send_text(room_.id, alice_.id, "eleven");
  member = advance(11, 0);
  EXPECT_EQ(member.delivered_seq, 11);
  EXPECT_EQ(member.read_seq, 10);
}

TEST_P(StoreWatermarks, OnlyThatMembersWatermarksMove) {
  advance(9, 9);
  auto alice = must(db().find_member(room_.id, alice_.id));
  EXPECT_EQ(alice->delivered_seq, 0);
  EXPECT_EQ(alice->read_seq, 0);
}

TEST_P(StoreWatermarks, WhileReadReceiptsGoToEveryoneTheReadPositionIsShared) {
  auto member = advance(4, 3);
  EXPECT_EQ(member.shared_read_seq, 3);
  member = advance(0, 6);
  EXPECT_EQ(member.shared_read_seq, 6);
  EXPECT_EQ(must(db().find_member(room_.id, bob_.id))->shared_read_seq, 6);
  EXPECT_EQ(must(db().list_members(room_.id))[1].shared_read_seq, 6);
}

TEST_P(StoreWatermarks, WhileReadReceiptsArePrivateTheSharedPositionStaysWhereItWas) {
  advance(0, 3);
  must(db().set_read_receipts(bob_.id, domain::ReadReceipts::private_));
  auto member = advance(9, 7);
  EXPECT_EQ(member.delivered_seq, 9);
  EXPECT_EQ(member.read_seq, 7);
  EXPECT_EQ(member.shared_read_seq, 3);
  EXPECT_EQ(must(db().find_member(room_.id, bob_.id))->shared_read_seq, 3);

  // Turning it back shares nothing by itself; the next receipt shares the position as it then
  // stands, even one that moves nothing.
  must(db().set_read_receipts(bob_.id, domain::ReadReceipts::everyone));
  EXPECT_EQ(must(db().find_member(room_.id, bob_.id))->shared_read_seq, 3);
  member = advance(0, 0);
  EXPECT_EQ(member.read_seq, 7);
  EXPECT_EQ(member.shared_read_seq, 7);
}

TEST_P(StoreWatermarks, ANonMemberIsNotFound) {
  auto carol = add_user("carol");
  auto moved = db().advance_watermarks(room_.id, carol.id, 1, 1);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::not_found);
  auto no_room = db().advance_watermarks(RoomId(999), bob_.id, 1, 1);
  ASSERT_FALSE(no_room);
  EXPECT_EQ(no_room.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace parley::store::testing
