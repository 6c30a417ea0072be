// Contract: the app backend's API keys, and the profile the server API's upsert changes.
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

class StoreApiKeys : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreApiKeys, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreApiKeys, AKeyIsFoundByItsHashAndListedInOrder) {
  auto first = must(db().insert_api_key("billing", "hash-1", 1000));
  auto second = must(db().insert_api_key("support", "hash-2", 2000));
  EXPECT_GT(first.id, 0);
  EXPECT_NE(first.id, second.id);

  auto found = must(db().find_api_key("hash-2"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, second.id);
  EXPECT_EQ(found->name, "support");
  EXPECT_EQ(found->created_at_ms, 2000);
  EXPECT_FALSE(found->last_used_at_ms);
  EXPECT_FALSE(found->revoked_at_ms);
  EXPECT_FALSE(must(db().find_api_key("hash-3")));

  auto keys = must(db().list_api_keys());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].name, "billing");
  EXPECT_EQ(keys[1].name, "support");
}

TEST_P(StoreApiKeys, RevocationKeepsItsFirstTimeAndUseIsRecorded) {
  auto key = must(db().insert_api_key("billing", "hash-1", 1000));
  must(db().touch_api_key(key.id, 1500));
  must(db().revoke_api_key(key.id, 2000));
  must(db().revoke_api_key(key.id, 3000));
  auto found = must(db().find_api_key("hash-1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->last_used_at_ms, 1500);
  EXPECT_EQ(found->revoked_at_ms, 2000);
  auto unknown = db().revoke_api_key(key.id + 100, 2000);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_P(StoreApiKeys, TwoKeysNeverShareAHash) {
  must(db().insert_api_key("one", "same-hash", 1000));
  EXPECT_FALSE(db().insert_api_key("two", "same-hash", 1000));
}

TEST_P(StoreApiKeys, AProfileUpdateChangesTheDisplayNameAndTheBotFlag) {
  auto made = must(db().insert_user(NewUser{.username = "support",
                                            .display_name = "Helper",
                                            .password_hash = "",
                                            .created_at_ms = 1000,
                                            .external_id = "bot|support",
                                            .bot = true}));
  EXPECT_TRUE(made.bot);
  EXPECT_EQ(made.external_id, "bot|support");
  auto found = must(db().find_user_by_external_id("bot|support"));
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->bot);
  EXPECT_EQ(found->external_id, "bot|support");

  must(db().update_user_profile(made.id, "Helpful", false));
  found = must(db().find_user(made.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->display_name, "Helpful");
  EXPECT_FALSE(found->bot);
  // Parley's own accounts have no external id and are no bots.
  auto alice = add_user("alice");
  found = must(db().find_user(alice.id));
  EXPECT_FALSE(found->bot);
  EXPECT_EQ(found->external_id, "");
  EXPECT_EQ(db().update_user_profile(UserId(999999), "x", false).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace parley::store::testing
