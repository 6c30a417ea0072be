// A wake batch: wake-ups asked for inside it wait for the outermost scope's end, in order, and
// outside any scope they happen at once.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/wake_batch.hpp"

namespace parley::core {
namespace {

TEST(WakeBatch, OutsideAScopeAWakeUpHappensAtOnce) {
  int woken = 0;
  WakeBatch::defer([&] { ++woken; });
  EXPECT_EQ(woken, 1);
}

TEST(WakeBatch, InsideNestedScopesWakeUpsWaitForTheOutermostEndInTheOrderAsked) {
  std::vector<int> woken;
  {
    WakeBatch outer;
    WakeBatch::defer([&] { woken.push_back(1); });
    {
      WakeBatch inner;
      WakeBatch::defer([&] { woken.push_back(2); });
    }
    EXPECT_TRUE(woken.empty());
    WakeBatch::defer([&] { woken.push_back(3); });
  }
  EXPECT_EQ(woken, (std::vector<int>{1, 2, 3}));
  // The scope left nothing behind: the next one starts empty.
  { WakeBatch again; }
  EXPECT_EQ(woken.size(), 3U);
}

TEST(WakeBatch, AScopeHoldsOnlyItsOwnThreadsWakeUps) {
  int from_other_thread = 0;
  WakeBatch scope;
  std::thread([&] { WakeBatch::defer([&] { ++from_other_thread; }); }).join();
  EXPECT_EQ(from_other_thread, 1);
}

TEST(WakeBatch, AWakeUpAskedForWhileFlushingHappensAtOnce) {
  int second = 0;
  {
    WakeBatch scope;
    WakeBatch::defer([&] { WakeBatch::defer([&] { ++second; }); });
  }
  EXPECT_EQ(second, 1);
}

}  // namespace
}  // namespace parley::core
