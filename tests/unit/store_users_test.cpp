// Contract: users, credentials and refresh tokens.
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

class StoreUsers : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreUsers, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreUsers, InsertAssignsAnIdAndTheUserIsFoundById) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  EXPECT_TRUE(alice.id.valid());
  EXPECT_NE(alice.id, bob.id);

  auto found = must(db().find_user(alice.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice.id);
  EXPECT_EQ(found->username, "alice");
  EXPECT_EQ(found->display_name, "The alice");
  EXPECT_EQ(found->created_at_ms, alice.created_at_ms);
}

TEST_P(StoreUsers, UnknownUsersAreNotFound) {
  add_user("alice");
  EXPECT_FALSE(must(db().find_user(UserId(999))));
  EXPECT_FALSE(must(db().find_user_by_username("nobody")));
  EXPECT_FALSE(must(db().find_credentials("nobody")));
}

TEST_P(StoreUsers, UsernameLookupIgnoresCase) {
  auto alice = add_user("alice");
  auto found = must(db().find_user_by_username("ALiCe"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice.id);
  EXPECT_EQ(found->username, "alice");
}

TEST_P(StoreUsers, ASecondUserWithTheSameNameInAnotherCaseIsUsernameTaken) {
  add_user("alice");
  auto again = db().insert_user(NewUser{.username = "Alice", .display_name = "x", .password_hash = "h"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::username_taken);
  // The failed insert left the session usable.
  EXPECT_TRUE(db().insert_user(NewUser{.username = "bob", .display_name = "b", .password_hash = "h"}));
}

TEST_P(StoreUsers, AUserBoundToAnExternalIdIsFoundByIt) {
  add_user("alice");
  auto bound = must(db().insert_user(
      NewUser{.username = "carol", .display_name = "Carol", .password_hash = "", .external_id = "idp|42"}));
  auto found = must(db().find_user_by_external_id("idp|42"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, bound.id);
  EXPECT_EQ(found->username, "carol");
  EXPECT_FALSE(must(db().find_user_by_external_id("idp|43")));
  // Own accounts are bound to no external id, and an empty one never finds them.
  EXPECT_FALSE(must(db().find_user_by_external_id("")));
}

TEST_P(StoreUsers, ASecondUserWithTheSameExternalIdIsAConflict) {
  must(db().insert_user(NewUser{.username = "carol", .display_name = "C", .password_hash = "", .external_id = "idp|42"}));
  auto again = db().insert_user(NewUser{.username = "dave", .display_name = "D", .password_hash = "", .external_id = "idp|42"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  // Many own accounts have no external id: that is no conflict.
  add_user("erin");
  add_user("frank");
}

TEST_P(StoreUsers, FindUsersReturnsEachExistingUserOnceOrderedById) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  auto carol = add_user("carol");
  std::vector<UserId> ids{carol.id, UserId(4242), alice.id, carol.id};
  auto users = must(db().find_users(ids));
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].id, alice.id);
  EXPECT_EQ(users[1].id, carol.id);
  EXPECT_EQ(users[1].username, "carol");

  EXPECT_TRUE(must(db().find_users({})).empty());
  std::vector<UserId> only_bob{bob.id};
  EXPECT_EQ(must(db().find_users(only_bob)).size(), 1u);
}

TEST_P(StoreUsers, CredentialsAreTheUsersIdAndPasswordHash) {
  auto alice = add_user("alice");
  auto credentials = must(db().find_credentials("ALICE"));
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->user_id, alice.id);
  EXPECT_EQ(credentials->password_hash, "hash-of-alice");
}

TEST_P(StoreUsers, RefreshTokenRoundTrips) {
  auto alice = add_user("alice");
  RefreshToken token{.token_hash = "h1", .user_id = alice.id, .family_id = "f1", .expires_at_ms = 123456789};
  must(db().insert_refresh_token(token));

  auto found = must(db().find_refresh_token("h1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->token_hash, "h1");
  EXPECT_EQ(found->user_id, alice.id);
  EXPECT_EQ(found->family_id, "f1");
  EXPECT_EQ(found->expires_at_ms, 123456789);
  EXPECT_FALSE(found->used);
  EXPECT_FALSE(must(db().find_refresh_token("unknown")));
}

TEST_P(StoreUsers, MarkingATokenUsedIsStoredAndAnUnknownTokenIsNotFound) {
  auto alice = add_user("alice");
  must(db().insert_refresh_token(RefreshToken{.token_hash = "h1", .user_id = alice.id, .family_id = "f1"}));
  must(db().mark_refresh_token_used("h1"));
  EXPECT_TRUE(must(db().find_refresh_token("h1"))->used);

  auto unknown = db().mark_refresh_token_used("unknown");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_P(StoreUsers, DeletingAFamilyRemovesEveryRotationOfItAndNothingElse) {
  auto alice = add_user("alice");
  must(db().insert_refresh_token(RefreshToken{.token_hash = "a1", .user_id = alice.id, .family_id = "fa"}));
  must(db().insert_refresh_token(RefreshToken{.token_hash = "a2", .user_id = alice.id, .family_id = "fa"}));
  must(db().insert_refresh_token(RefreshToken{.token_hash = "b1", .user_id = alice.id, .family_id = "fb"}));

  must(db().delete_refresh_family("fa"));
  EXPECT_FALSE(must(db().find_refresh_token("a1")));
  EXPECT_FALSE(must(db().find_refresh_token("a2")));
  EXPECT_TRUE(must(db().find_refresh_token("b1")));
  // A family already gone is not an error: revocation may race with expiry clean-up.
  EXPECT_TRUE(db().delete_refresh_family("fa"));
}

TEST_P(StoreUsers, AUsersLoginsAreTheirRefreshTokenFamilies) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  must(db().insert_refresh_token(RefreshToken{.token_hash = "a1", .user_id = alice.id, .family_id = "fb"}));
  must(db().insert_refresh_token(RefreshToken{.token_hash = "a2", .user_id = alice.id, .family_id = "fb"}));
  must(db().insert_refresh_token(RefreshToken{.token_hash = "a3", .user_id = alice.id, .family_id = "fa"}));
  must(db().insert_refresh_token(RefreshToken{.token_hash = "b1", .user_id = bob.id, .family_id = "fc"}));
  EXPECT_EQ(must(db().list_login_families(alice.id)), (std::vector<std::string>{"fa", "fb"}));
  EXPECT_TRUE(must(db().list_login_families(UserId(999))).empty());
}

TEST_P(StoreUsers, AnEndedLoginIsListedUntilItsTokensHaveExpired) {
  auto alice = add_user("alice");
  must(db().begin_write());
  must(db().insert_revoked_login("gone", alice.id, 5'000, 1'000));
  must(db().insert_revoked_login("later", alice.id, 9'000, 1'000));
  must(db().insert_revoked_login("gone", alice.id, 4'000, 1'000));  // again: the later expiry is kept
  must(db().commit());
  EXPECT_EQ(must(db().list_revoked_logins(4'500)), (std::vector<std::string>{"gone", "later"}));
  EXPECT_EQ(must(db().list_revoked_logins(5'000)), (std::vector<std::string>{"later"}));

  // Recording another forgets those whose time has passed.
  must(db().begin_write());
  must(db().insert_revoked_login("new", alice.id, 20'000, 10'000));
  must(db().commit());
  EXPECT_EQ(must(db().list_revoked_logins(0)), (std::vector<std::string>{"new"}));
}

TEST_P(StoreUsers, APasswordHashIsReplaced) {
  auto alice = add_user("alice");
  must(db().update_password_hash(alice.id, "new-hash"));
  EXPECT_EQ(must(db().find_credentials("alice"))->password_hash, "new-hash");
  EXPECT_EQ(db().update_password_hash(UserId(999), "x").error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace parley::store::testing
