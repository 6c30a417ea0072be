// Contract: push targets, a member's mute and a user's push_text setting.
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::PushKind;
using domain::PushTarget;
using domain::PushText;

class StorePush : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StorePush, ::testing::ValuesIn(store_backends()), backend_name);

PushTarget gateway_target(UserId user, const std::string& pushkey, const std::string& url = "https://push.example/_matrix/push/v1/notify") {
  return PushTarget{.user_id = user, .kind = PushKind::http, .app_id = "com.example.app", .pushkey = pushkey, .url = url};
}

TEST_P(StorePush, ATargetIsStoredListedAndFound) {
  auto alice = add_user("alice");
  const auto at = tick();
  auto stored = must(db().upsert_push_target(gateway_target(alice.id, "token-1"), at));
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.user_id, alice.id);
  EXPECT_EQ(stored.kind, PushKind::http);
  EXPECT_EQ(stored.app_id, "com.example.app");
  EXPECT_EQ(stored.pushkey, "token-1");
  EXPECT_EQ(stored.created_at_ms, at);
  EXPECT_EQ(stored.updated_at_ms, at);

  auto web = must(db().upsert_push_target(PushTarget{.user_id = alice.id, .kind = PushKind::webpush,
                                                     .pushkey = "https://push.example/sub/1", .p256dh = "BKey",
                                                     .auth = "secret"},
                                          tick()));
  auto listed = must(open_session()->list_push_targets(alice.id));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, stored.id);
  EXPECT_EQ(listed[1].id, web.id);
  EXPECT_EQ(listed[1].p256dh, "BKey");
  EXPECT_EQ(listed[1].auth, "secret");
  EXPECT_EQ(must(db().count_push_targets(alice.id)), 2);
  EXPECT_EQ(must(db().find_push_target(web.id))->pushkey, "https://push.example/sub/1");
  EXPECT_EQ(must(db().find_push_target_by_key(PushKind::http, "com.example.app", "token-1"))->id, stored.id);
  EXPECT_FALSE(must(db().find_push_target_by_key(PushKind::http, "other.app", "token-1")));
  EXPECT_FALSE(must(db().find_push_target(web.id + 100)));
}

TEST_P(StorePush, RegisteringTheSameKeyAgainUpdatesTheOneTarget) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto first = must(db().upsert_push_target(gateway_target(alice.id, "token-1"), tick()));
  const auto later = tick();
  auto again = must(db().upsert_push_target(gateway_target(alice.id, "token-1", "https://other.example/notify"), later));
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.url, "https://other.example/notify");
  EXPECT_EQ(again.created_at_ms, first.created_at_ms);
  EXPECT_EQ(again.updated_at_ms, later);
  EXPECT_EQ(must(db().count_push_targets(alice.id)), 1);

  // The device signed in as bob: the target is his now.
  auto taken = must(db().upsert_push_target(gateway_target(bob.id, "token-1"), tick()));
  EXPECT_EQ(taken.id, first.id);
  EXPECT_EQ(must(db().count_push_targets(alice.id)), 0);
  EXPECT_EQ(must(db().list_push_targets(bob.id)).size(), 1u);
}

TEST_P(StorePush, TargetsOfSeveralUsersComeOrderedByUser) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  EXPECT_FALSE(must(db().any_push_targets()));
  must(db().upsert_push_target(gateway_target(bob.id, "b1"), tick()));
  must(db().upsert_push_target(gateway_target(alice.id, "a1"), tick()));
  must(db().upsert_push_target(gateway_target(bob.id, "b2"), tick()));
  must(db().upsert_push_target(gateway_target(carol.id, "c1"), tick()));
  EXPECT_TRUE(must(db().any_push_targets()));
  std::vector<UserId> users{bob.id, alice.id};
  auto found = must(db().list_push_targets_of(users));
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].pushkey, "a1");
  EXPECT_EQ(found[1].pushkey, "b1");
  EXPECT_EQ(found[2].pushkey, "b2");
  EXPECT_TRUE(must(db().list_push_targets_of(std::span<const UserId>())).empty());
}

TEST_P(StorePush, ATargetIsRemovedByItsOwnerOrByItsKey) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto one = must(db().upsert_push_target(gateway_target(alice.id, "a1"), tick()));
  must(db().upsert_push_target(gateway_target(alice.id, "a2"), tick()));
  EXPECT_EQ(db().delete_push_target(bob.id, one.id).error().code, ErrorCode::not_found);
  must(db().delete_push_target(alice.id, one.id));
  EXPECT_EQ(db().delete_push_target(alice.id, one.id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(must(db().delete_push_target_by_key(PushKind::http, "com.example.app", "a2")));
  EXPECT_FALSE(must(db().delete_push_target_by_key(PushKind::http, "com.example.app", "a2")));
  EXPECT_EQ(must(db().count_push_targets(alice.id)), 0);
  EXPECT_FALSE(must(db().any_push_targets()));
}

TEST_P(StorePush, PushTextIsShownUntilTheUserHidesIt) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  EXPECT_EQ(must(db().find_user_settings(alice.id)).push_text, PushText::shown);
  must(db().set_push_text(alice.id, PushText::hidden));
  EXPECT_EQ(must(open_session()->find_user_settings(alice.id)).push_text, PushText::hidden);
  EXPECT_EQ(must(db().find_user_settings(bob.id)).push_text, PushText::shown);
  EXPECT_EQ(db().set_push_text(UserId(99), PushText::hidden).error().code, ErrorCode::not_found);
}

TEST_P(StorePush, AMemberMutesAndUnmutesARoom) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto room = add_group(alice.id);
  add_member(room.id, bob.id);
  EXPECT_FALSE(must(db().find_member(room.id, bob.id))->muted);
  must(db().set_member_muted(room.id, bob.id, true));
  EXPECT_TRUE(must(open_session()->find_member(room.id, bob.id))->muted);
  EXPECT_FALSE(must(db().find_member(room.id, alice.id))->muted);
  auto members = must(db().list_members(room.id));
  ASSERT_EQ(members.size(), 2u);
  EXPECT_TRUE(members[1].user_id == bob.id ? members[1].muted : members[0].muted);
  must(db().set_member_muted(room.id, bob.id, false));
  EXPECT_FALSE(must(db().find_member(room.id, bob.id))->muted);
  auto carol = add_user("carol");
  EXPECT_EQ(db().set_member_muted(room.id, carol.id, true).error().code, ErrorCode::not_found);
}

TEST_P(StorePush, PushRecipientsAreTheUnmutedMembersWithTargetsWithTheirSettingAndUnreadCount) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  auto dave = add_user("dave");
  auto erin = add_user("erin");
  auto room = add_group(alice.id);
  auto other = add_group(alice.id);
  for (const auto& user : {bob, carol, dave}) add_member(room.id, user.id);
  add_member(other.id, erin.id);
  for (const auto& user : {alice, bob, carol, erin}) must(db().upsert_push_target(gateway_target(user.id, user.username), tick()));
  must(db().set_member_muted(room.id, carol.id, true));  // carol: muted
  must(db().set_push_text(bob.id, PushText::hidden));     // dave: no target; erin: not a member
  send_text(room.id, alice.id, "1");
  send_text(room.id, bob.id, "2");
  send_text(room.id, alice.id, "3");

  auto recipients = must(db().list_push_recipients(room.id));
  ASSERT_EQ(recipients.size(), 2u);
  EXPECT_EQ(recipients[0].user_id, alice.id);
  EXPECT_EQ(recipients[0].push_text, PushText::shown);
  EXPECT_EQ(recipients[0].unread_count, 1);  // bob's
  EXPECT_EQ(recipients[1].user_id, bob.id);
  EXPECT_EQ(recipients[1].push_text, PushText::hidden);
  EXPECT_EQ(recipients[1].unread_count, 2);  // alice's two

  must(db().advance_watermarks(room.id, bob.id, 1, 1));
  EXPECT_EQ(must(db().list_push_recipients(room.id))[1].unread_count, 1);
  EXPECT_TRUE(must(db().list_push_recipients(RoomId(other.id.value + 100))).empty());
}

}  // namespace
}  // namespace parley::store::testing
