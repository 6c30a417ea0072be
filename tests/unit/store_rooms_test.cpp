// Contract: rooms and their members.
#include <algorithm>
#include <utility>
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::Role;

class StoreRooms : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreRooms, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreRooms, AGroupIsStoredWithAnIdAndStartsWithoutMessages) {
  auto alice = add_user("alice");
  auto room = must(db().insert_room(
      domain::Room{
          .kind = domain::RoomKind::group, .name = "team", .last_seq = 7, .created_by = alice.id, .created_at_ms = 55},
      std::nullopt));
  EXPECT_TRUE(room.id.valid());
  EXPECT_EQ(room.last_seq, 0);

  auto found = must(db().find_room_with_member(room.id, alice.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->room.id, room.id);
  EXPECT_EQ(found->room.kind, domain::RoomKind::group);
  EXPECT_EQ(found->room.name, "team");
  EXPECT_EQ(found->room.last_seq, 0);
  EXPECT_EQ(found->room.created_by, alice.id);
  EXPECT_EQ(found->room.created_at_ms, 55);
  EXPECT_FALSE(must(db().find_room_with_member(RoomId(999), alice.id)));
}

TEST_P(StoreRooms, ADirectRoomIsFoundAgainByItsKey) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto room = add_direct(alice.id, bob.id);

  auto found = must(db().find_direct_room(domain::direct_room_key(bob.id, alice.id)));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, room.id);
  EXPECT_EQ(found->kind, domain::RoomKind::direct);
  EXPECT_FALSE(must(db().find_direct_room("1:999")));
}

TEST_P(StoreRooms, ASecondDirectRoomForTheSamePairIsAConflict) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  add_direct(alice.id, bob.id);
  auto again = db().insert_room(domain::Room{.kind = domain::RoomKind::direct, .created_by = bob.id},
                                domain::direct_room_key(alice.id, bob.id));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

TEST_P(StoreRooms, RenameChangesTheNameOfThatRoomOnly) {
  auto alice = add_user("alice");
  auto first = add_group(alice.id, "first");
  auto second = add_group(alice.id, "second");
  must(db().rename_room(first.id, "renamed"));
  EXPECT_EQ(stored_room(first.id).name, "renamed");
  EXPECT_EQ(stored_room(second.id).name, "second");

  auto unknown = db().rename_room(RoomId(999), "x");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_P(StoreRooms, AMemberRoundTripsWithRoleJoinTimeAndWatermarks) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto room = add_group(alice.id);
  must(db().insert_member(domain::Member{.room_id = room.id,
                                         .user_id = bob.id,
                                         .role = Role::member,
                                         .joined_at_ms = 77,
                                         .delivered_seq = 0,
                                         .read_seq = 0}));

  auto found = must(db().find_member(room.id, bob.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->room_id, room.id);
  EXPECT_EQ(found->user_id, bob.id);
  EXPECT_EQ(found->role, Role::member);
  EXPECT_EQ(found->joined_at_ms, 77);
  EXPECT_EQ(found->delivered_seq, 0);
  EXPECT_EQ(found->read_seq, 0);
  EXPECT_EQ(must(db().find_member(room.id, alice.id))->role, Role::admin);
  EXPECT_FALSE(must(db().find_member(room.id, UserId(999))));
}

TEST_P(StoreRooms, ARoomIsFoundWithTheMembershipOfTheUserAsked) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  auto room = add_group(alice.id, "team");
  add_member(room.id, bob.id);

  auto as_bob = must(db().find_room_with_member(room.id, bob.id));
  ASSERT_TRUE(as_bob);
  EXPECT_EQ(as_bob->room.id, room.id);
  EXPECT_EQ(as_bob->room.name, "team");
  EXPECT_EQ(as_bob->room.created_by, alice.id);
  ASSERT_TRUE(as_bob->member);
  EXPECT_EQ(as_bob->member->user_id, bob.id);
  EXPECT_EQ(as_bob->member->room_id, room.id);
  EXPECT_EQ(as_bob->member->role, Role::member);

  auto as_alice = must(db().find_room_with_member(room.id, alice.id));
  ASSERT_TRUE(as_alice && as_alice->member);
  EXPECT_EQ(as_alice->member->role, Role::admin);

  // Someone outside the room still finds the room, with no membership.
  auto as_carol = must(db().find_room_with_member(room.id, carol.id));
  ASSERT_TRUE(as_carol);
  EXPECT_EQ(as_carol->room.id, room.id);
  EXPECT_FALSE(as_carol->member);

  EXPECT_FALSE(must(db().find_room_with_member(RoomId(999), bob.id)));
}

TEST_P(StoreRooms, JoiningTwiceIsAConflict) {
  auto alice = add_user("alice");
  auto room = add_group(alice.id);
  auto again = db().insert_member(domain::Member{.room_id = room.id, .user_id = alice.id, .role = Role::member});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

TEST_P(StoreRooms, JoiningARoomThatDoesNotExistIsNotFound) {
  auto alice = add_user("alice");
  auto joined = db().insert_member(domain::Member{.room_id = RoomId(999), .user_id = alice.id, .role = Role::member});
  ASSERT_FALSE(joined);
  EXPECT_EQ(joined.error().code, ErrorCode::not_found);
}

TEST_P(StoreRooms, DeletingAMemberRemovesOnlyThatMembership) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto room = add_group(alice.id);
  add_member(room.id, bob.id);

  must(db().delete_member(room.id, bob.id));
  EXPECT_FALSE(must(db().find_member(room.id, bob.id)));
  EXPECT_TRUE(must(db().find_member(room.id, alice.id)));

  auto again = db().delete_member(room.id, bob.id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
}

TEST_P(StoreRooms, RoleChangesAreStoredAndCountedAsAdmins) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  auto room = add_group(alice.id);
  add_member(room.id, bob.id);
  add_member(room.id, carol.id);
  EXPECT_EQ(must(db().count_admins(room.id)), 1);

  must(db().update_member_role(room.id, bob.id, Role::admin));
  EXPECT_EQ(must(db().find_member(room.id, bob.id))->role, Role::admin);
  EXPECT_EQ(must(db().count_admins(room.id)), 2);

  must(db().update_member_role(room.id, alice.id, Role::member));
  EXPECT_EQ(must(db().count_admins(room.id)), 1);

  auto stranger = db().update_member_role(room.id, UserId(999), Role::admin);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, ErrorCode::not_found);
  EXPECT_EQ(must(db().count_admins(RoomId(999))), 0);
}

TEST_P(StoreRooms, MembersAreListedByJoinTimeThenUserId) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  auto dave = add_user("dave");
  auto room = must(db().insert_room(domain::Room{.kind = domain::RoomKind::group, .name = "g", .created_by = alice.id},
                                    std::nullopt));
  // Inserted out of order; bob and carol joined at the same moment, so the lower id first.
  const std::vector<std::pair<UserId, TimestampMs>> joins{{carol.id, 20}, {alice.id, 30}, {dave.id, 10}, {bob.id, 20}};
  for (auto [user, joined_at] : joins)
    must(db().insert_member(
        domain::Member{.room_id = room.id, .user_id = user, .role = Role::member, .joined_at_ms = joined_at}));

  std::vector<UserId> order;
  for (const auto& member : must(db().list_members(room.id))) order.push_back(member.user_id);
  EXPECT_EQ(order, (std::vector<UserId>{dave.id, bob.id, carol.id, alice.id}));
  EXPECT_TRUE(must(db().list_members(RoomId(999))).empty());
}

TEST_P(StoreRooms, RoomIdsForAUserAreTheRoomsItIsAMemberOf) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto shared = add_group(alice.id);
  auto alone = add_group(alice.id);
  auto bobs = add_group(bob.id);
  add_member(shared.id, bob.id);

  auto alices = must(db().list_room_ids_for_user(alice.id));
  std::sort(alices.begin(), alices.end());
  EXPECT_EQ(alices, (std::vector<RoomId>{shared.id, alone.id}));
  auto bob_rooms = must(db().list_room_ids_for_user(bob.id));
  std::sort(bob_rooms.begin(), bob_rooms.end());
  EXPECT_EQ(bob_rooms, (std::vector<RoomId>{shared.id, bobs.id}));
  EXPECT_TRUE(must(db().list_room_ids_for_user(UserId(999))).empty());
}

TEST_P(StoreRooms, RoomHeadsGiveTheSeqEachRoomStandsAt) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto busy = add_group(alice.id);
  auto quiet = add_group(alice.id);
  auto bobs = add_group(bob.id);
  send_text(busy.id, alice.id, "one");
  send_text(busy.id, alice.id, "two");
  send_text(bobs.id, bob.id, "three");

  using domain::RoomHead;
  EXPECT_EQ(must(db().list_room_heads_for_user(alice.id)), (std::vector<RoomHead>{{busy.id, 2}, {quiet.id, 0}}));
  EXPECT_EQ(must(db().list_room_heads_for_user(bob.id)), (std::vector<RoomHead>{{bobs.id, 1}}));
  EXPECT_TRUE(must(db().list_room_heads_for_user(UserId(999))).empty());

  std::vector<RoomId> asked{bobs.id, RoomId(999), busy.id};
  EXPECT_EQ(must(db().list_room_heads(asked)), (std::vector<RoomHead>{{busy.id, 2}, {bobs.id, 1}}))
      << "ordered by room, and a room that does not exist left out";
  EXPECT_TRUE(must(db().list_room_heads({})).empty());
}

}  // namespace
}  // namespace parley::store::testing
