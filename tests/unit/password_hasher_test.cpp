// The hashing threads take a bounded queue; past it, a sign-in is refused at once.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "server/service/password_hasher.hpp"

namespace parley::service {
namespace {

TEST(PasswordHasher, PastItsQueueARequestIsUnavailableAtOnce) {
  PasswordHasher hasher(1);
  std::mutex mutex;
  std::condition_variable released;
  bool release = false;
  bool started = false;
  // The one thread is busy until released.
  hasher.submit<int>(
      [&]() -> Result<int> {
        std::unique_lock lock(mutex);
        started = true;
        released.notify_all();
        released.wait(lock, [&] { return release; });
        return 0;
      },
      [](Result<int>) {});
  {
    std::unique_lock lock(mutex);
    released.wait(lock, [&] { return started; });
  }
  std::atomic<int> done{0};
  for (std::size_t i = 0; i < PasswordHasher::kMaxQueued; ++i)
    hasher.submit<int>([]() -> Result<int> { return 1; }, [&](Result<int> r) { done += r ? 1 : 0; });
  std::optional<Error> refusal;
  hasher.submit<int>([]() -> Result<int> { return 1; }, [&](Result<int> r) {
    if (!r) refusal = r.error();
  });
  ASSERT_TRUE(refusal.has_value()) << "the 65th waiting hash must be refused on the spot";
  EXPECT_EQ(refusal->code, ErrorCode::unavailable);
  EXPECT_GT(refusal->retry_after_ms, 0);

  {
    std::lock_guard lock(mutex);
    release = true;
  }
  released.notify_all();
  hasher.stop();
  EXPECT_EQ(done.load(), static_cast<int>(PasswordHasher::kMaxQueued)) << "every queued one ran";
}

}  // namespace
}  // namespace parley::service
