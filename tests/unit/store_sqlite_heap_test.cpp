// SQLite only: the heap SQLite holds in the server's process is counted by the store's own
// allocator (sqlite/counted_heap.hpp), so the figure /metrics reports stays exact without the
// lock SQLite's count takes. Run in a process of its own (store.sqlite_heap): the store must
// be SQLite's first user there, as it is in parleyd.
#include <gtest/gtest.h>

#include <string>

#include "sqlite/counted_heap.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/scratch_dir.hpp"

namespace parley::store::testing {
namespace {

TEST(SqliteHeap, WhatTheStoreHoldsIsCountedAndGivenBackWhenItCloses) {
  parley::test::ScratchDir directory;
  const auto before = sqlite_heap_bytes();
  auto store = make_sqlite_store({.path = directory.sub("parley.db").string()});
  EXPECT_TRUE(parley::sqlite::count_heap_without_lock()) << "the store did not install the counting allocator";
  ASSERT_TRUE(store->migrate());
  auto session = store->open_session();
  ASSERT_TRUE(session) << session.error().message;

  // Rows of 2 KB each: their pages stay in the session's page cache, on SQLite's heap.
  const std::string long_name(2000, 'n');
  ASSERT_TRUE((*session)->begin_write());
  for (int i = 0; i < 200; ++i) {
    auto user = (*session)->insert_user(
        NewUser{.username = "user" + std::to_string(i), .display_name = long_name, .password_hash = "h"});
    ASSERT_TRUE(user) << user.error().message;
  }
  ASSERT_TRUE((*session)->commit());
  const auto holding = sqlite_heap_bytes();
  EXPECT_GT(holding, before + 200 * 2000) << "the page cache's 400 KB of rows are not counted";

  session->reset();
  store.reset();
  EXPECT_LT(sqlite_heap_bytes(), holding - 200 * 2000) << "closing the store gave back less than its rows";
}

}  // namespace
}  // namespace parley::store::testing
