// Contract: the settings a user chooses for their own account.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::ReadReceipts;

class StoreSettings : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreSettings, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreSettings, ANewUsersReadReceiptsGoToEveryone) {
  auto alice = add_user("alice");
  EXPECT_EQ(must(db().find_user_settings(alice.id)).read_receipts, ReadReceipts::everyone);
}

TEST_P(StoreSettings, ReadReceiptsAreKeptPerUserAndCanBeTurnedBack) {
  auto alice = add_user("alice");
  auto bob = add_user("bob");
  must(db().set_read_receipts(alice.id, ReadReceipts::private_));
  EXPECT_EQ(must(open_session()->find_user_settings(alice.id)).read_receipts, ReadReceipts::private_);
  EXPECT_EQ(must(db().find_user_settings(bob.id)).read_receipts, ReadReceipts::everyone);

  must(db().set_read_receipts(alice.id, ReadReceipts::everyone));
  EXPECT_EQ(must(open_session()->find_user_settings(alice.id)).read_receipts, ReadReceipts::everyone);
}

TEST_P(StoreSettings, UnknownUsersAreNotFound) {
  EXPECT_EQ(db().find_user_settings(UserId(99)).error().code, ErrorCode::not_found);
  EXPECT_EQ(db().set_read_receipts(UserId(99), ReadReceipts::private_).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace parley::store::testing
