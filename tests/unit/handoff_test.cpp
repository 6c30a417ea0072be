// The handoff to the I/O threads: work from many threads all runs, on an I/O thread, each
// thread's in its order, and work that will never run is freed.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "server/gateway/handoff.hpp"

namespace parley::gateway {
namespace {

TEST(Handoff, WorkFromManyThreadsAllRunsOnTheIoThreadEachThreadsInItsOrder) {
  boost::asio::io_context io;
  Handoff handoff(io);
  constexpr int kThreads = 4;
  constexpr int kEach = 20'000;
  std::vector<int> last_seen(kThreads, -1);  // touched by the I/O thread only
  std::atomic<int> ran{0}, out_of_order{0}, off_thread{0};
  std::thread::id io_thread;
  {
    auto guard = boost::asio::make_work_guard(io);
    std::thread runner([&] {
      io_thread = std::this_thread::get_id();
      io.run();
    });
    {
      std::vector<std::jthread> handing;
      for (int t = 0; t < kThreads; ++t)
        handing.emplace_back([&, t] {
          for (int i = 0; i < kEach; ++i)
            handoff.post([&, t, i] {
              if (std::this_thread::get_id() != io_thread) ++off_thread;
              if (i != last_seen[static_cast<std::size_t>(t)] + 1) ++out_of_order;
              last_seen[static_cast<std::size_t>(t)] = i;
              ++ran;
            });
        });
    }
    guard.reset();  // run() returns once everything posted has run
    runner.join();
  }
  EXPECT_EQ(ran.load(), kThreads * kEach);
  EXPECT_EQ(out_of_order.load(), 0);
  EXPECT_EQ(off_thread.load(), 0);
}

TEST(Handoff, WorkThatWillNeverRunIsFreedWhenDiscarded) {
  boost::asio::io_context io;  // never run
  Handoff handoff(io);
  auto held = std::make_shared<int>(1);
  handoff.post([held] {});
  handoff.post([held] {});
  EXPECT_EQ(held.use_count(), 3);
  handoff.discard();
  EXPECT_EQ(held.use_count(), 1);
}

}  // namespace
}  // namespace parley::gateway
