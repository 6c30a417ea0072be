// A thread's completion batch: what is held while it is open is released once, when the
// outermost batch closes, and only on the thread that holds it.
#include <gtest/gtest.h>

#include <thread>

#include "core/completion_batch.hpp"

namespace parley::core {
namespace {

thread_local int releases_run = 0;
void count_release() { ++releases_run; }
thread_local int other_releases_run = 0;
void count_other_release() { ++other_releases_run; }

TEST(CompletionBatch, ReleasesOnceWhenTheOutermostBatchCloses) {
  releases_run = 0;
  EXPECT_FALSE(CompletionBatch::is_open());
  {
    CompletionBatch outer;
    EXPECT_TRUE(CompletionBatch::is_open());
    {
      CompletionBatch inner;
      CompletionBatch::release_at_close(&count_release);
      CompletionBatch::release_at_close(&count_release);
    }
    EXPECT_TRUE(CompletionBatch::is_open());
    EXPECT_EQ(releases_run, 0);
  }
  EXPECT_FALSE(CompletionBatch::is_open());
  EXPECT_EQ(releases_run, 1);
  {
    CompletionBatch again;
  }
  EXPECT_EQ(releases_run, 1);  // nothing asked for in that batch
}

TEST(CompletionBatch, EachReleaseAskedForRunsAndOtherThreadsAreNotInTheBatch) {
  releases_run = 0;
  other_releases_run = 0;
  {
    CompletionBatch batch;
    CompletionBatch::release_at_close(&count_release);
    CompletionBatch::release_at_close(&count_other_release);
    bool open_elsewhere = true;
    std::thread([&] { open_elsewhere = CompletionBatch::is_open(); }).join();
    EXPECT_FALSE(open_elsewhere);
  }
  EXPECT_EQ(releases_run, 1);
  EXPECT_EQ(other_releases_run, 1);
}

}  // namespace
}  // namespace parley::core
