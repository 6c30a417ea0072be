// Contract: presence status, last seen, and the contacts whose presence a user may see.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::PresenceStatus;

class StorePresence : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StorePresence, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StorePresence, ANewUserIsAvailableAndNeverSeen) {
  auto alice = add_user("alice");
  auto p = must(db().find_presence(alice.id));
  EXPECT_EQ(p.user, alice.id);
  EXPECT_EQ(p.status, PresenceStatus::available);
  EXPECT_FALSE(p.last_seen_at);
}

TEST_P(StorePresence, StatusAndLastSeenAreKept) {
  auto alice = add_user("alice");
  must(db().set_presence_status(alice.id, PresenceStatus::invisible));
  auto seen = tick();
  must(db().set_last_seen(alice.id, seen));
  auto p = must(open_session()->find_presence(alice.id));
  EXPECT_EQ(p.status, PresenceStatus::invisible);
  EXPECT_EQ(p.last_seen_at, seen);
}

TEST_P(StorePresence, UnknownUsersAreNotFound) {
  EXPECT_EQ(db().find_presence(UserId(99)).error().code, ErrorCode::not_found);
  EXPECT_EQ(db().set_presence_status(UserId(99), PresenceStatus::busy).error().code, ErrorCode::not_found);
}

TEST_P(StorePresence, ContactsAreThoseSharingARoomEachOnce) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  auto stranger = add_user("stranger");
  add_direct(alice.id, bob.id);
  auto group = add_group(alice.id);
  add_member(group.id, bob.id);
  add_member(group.id, carol.id);
  add_direct(stranger.id, carol.id);
  must(db().set_presence_status(carol.id, PresenceStatus::busy));

  auto contacts = must(db().list_contacts_presence(alice.id));
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0].user, bob.id);
  EXPECT_EQ(contacts[1].user, carol.id);
  EXPECT_EQ(contacts[1].status, PresenceStatus::busy);
  EXPECT_TRUE(must(db().list_contacts_presence(UserId(99))).empty());
}

}  // namespace
}  // namespace parley::store::testing
