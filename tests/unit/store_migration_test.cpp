// Contract: migrating, as several nodes starting at once against one database do.
#include <thread>
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

class StoreMigration : public StoreContract {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreMigration, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreMigration, StoresMigratingOneNewDatabaseAtOnceAllSucceedAndBuildOneSchema) {
  auto fresh = GetParam().create_database();
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(fresh->open_store());
  std::vector<Result<void>> outcomes(kNodes);
  {
    std::vector<std::jthread> starting;
    for (int i = 0; i < kNodes; ++i)
      starting.emplace_back([&, i] { outcomes[static_cast<std::size_t>(i)] = nodes[static_cast<std::size_t>(i)]->migrate(); });
  }
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome) << outcome.error().message;

  auto session = must(nodes[0]->open_session());
  auto alice = must(session->insert_user(NewUser{.username = "alice", .display_name = "A", .password_hash = "h"}));
  auto again = session->insert_user(NewUser{.username = "Alice", .display_name = "A", .password_hash = "h"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::username_taken);
  auto other_node = must(nodes[kNodes - 1]->open_session());
  EXPECT_EQ(must(other_node->find_user(alice.id))->username, "alice");
}

}  // namespace
}  // namespace parley::store::testing
