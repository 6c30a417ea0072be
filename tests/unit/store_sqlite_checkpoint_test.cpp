// SQLite only: the store copies the write-ahead log back into the database file by itself,
// while sessions keep committing, so that the log stays short without a commit doing the copy.
#include <gtest/gtest.h>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"
#include "support/scratch_dir.hpp"

namespace parley::store::testing {
namespace {

namespace fs = std::filesystem;

class SqliteCheckpoint : public ::testing::Test {
 protected:
  parley::test::ScratchDir directory_;
  std::string path_ = directory_.sub("parley.db").string();
};

TEST_F(SqliteCheckpoint, CommittedRowsReachTheDatabaseFileWhileTheSessionStaysOpen) {
  // A limit of 40 frames, and of 320 before a commit would copy the log itself: the inserts
  // below write about 250, so only the store's thread copies them.
  auto store = make_sqlite_store({.path = path_, .checkpoint_pages = 40});
  ASSERT_TRUE(store->migrate());
  auto session = store->open_session();
  ASSERT_TRUE(session) << session.error().message;
  const auto size_before = fs::file_size(path_);

  // In WAL mode a commit writes only the log; the database file grows when a checkpoint
  // copies the new pages into it. 200 users of 2 KB each need about 100 new pages.
  const std::string long_name(2000, 'n');
  for (int batch = 0; batch < 20; ++batch) {
    ASSERT_TRUE((*session)->begin_write());
    for (int i = 0; i < 10; ++i) {
      auto user = (*session)->insert_user(NewUser{
          .username = "user" + std::to_string(batch * 10 + i), .display_name = long_name, .password_hash = "h"});
      ASSERT_TRUE(user) << user.error().message;
    }
    ASSERT_TRUE((*session)->commit());
  }

  // The checkpoint runs on the store's own thread: wait for it, with a bound so that a store
  // that never checkpoints fails instead of hanging.
  // The last commits may stay in the log, under the limit; most of the 100 pages may not.
  auto copied = [&] { return fs::file_size(path_) > size_before + 25 * 4096; };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!copied() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(copied()) << "the database file is " << fs::file_size(path_) << " bytes, " << size_before
                        << " before the inserts";

  // Every row is still there, read through the same session.
  auto last = (*session)->find_user_by_username("user199");
  ASSERT_TRUE(last) << last.error().message;
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->display_name, long_name);
}

}  // namespace
}  // namespace parley::store::testing
