// A connection's mailbox: frames from many threads, each thread's in its order, none lost, and
// a visit asked for exactly when the mailbox was empty.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/gateway/mailbox.hpp"

namespace parley::gateway {
namespace {

hub::Frame frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

std::vector<std::string> take_all(Mailbox& box) {
  std::vector<std::string> out;
  box.take([&](hub::Frame f) { out.push_back(*f); });
  return out;
}

TEST(Mailbox, OnlyTheFrameThatFindsItEmptyAsksForAVisit) {
  Mailbox box;
  EXPECT_TRUE(box.put(frame("a")));
  EXPECT_FALSE(box.put(frame("b")));
  EXPECT_FALSE(box.put(frame("c")));
  EXPECT_EQ(take_all(box), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(take_all(box).empty());
  EXPECT_TRUE(box.put(frame("d")));
  EXPECT_EQ(take_all(box), (std::vector<std::string>{"d"}));
}

TEST(Mailbox, FramesLeftUntakenAreFreedWithIt) {
  auto kept = frame("kept");
  {
    Mailbox box;
    EXPECT_TRUE(box.put(kept));
    EXPECT_EQ(kept.use_count(), 2);
  }
  EXPECT_EQ(kept.use_count(), 1);
}

TEST(Mailbox, ManyThreadsPuttingWhileOneTakesLoseNothingAndKeepEachThreadsOrder) {
  constexpr int kThreads = 4;
  constexpr int kFramesEach = 20'000;
  Mailbox box;
  std::atomic<int> visits_asked{0};
  std::atomic<int> producers_done{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kFramesEach; ++i) {
        if (box.put(frame(std::to_string(t) + ":" + std::to_string(i)))) ++visits_asked;
      }
      ++producers_done;
    });
  }
  std::vector<int> next_expected(kThreads, 0);
  int taken = 0, visits_made = 0;
  auto visit = [&] {
    bool got = false;
    box.take([&](hub::Frame f) {
      got = true;
      const auto colon = f->find(':');
      const int t = std::stoi(f->substr(0, colon));
      const int i = std::stoi(f->substr(colon + 1));
      EXPECT_EQ(i, next_expected[t]) << "thread " << t;
      next_expected[t] = i + 1;
      ++taken;
    });
    if (got) ++visits_made;
  };
  while (producers_done.load() < kThreads) visit();
  visit();
  for (auto& p : producers) p.join();
  EXPECT_EQ(taken, kThreads * kFramesEach);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next_expected[t], kFramesEach);
  // Every visit that found frames was asked for by the frame that found the mailbox empty.
  EXPECT_EQ(visits_asked.load(), visits_made);
}

}  // namespace
}  // namespace parley::gateway
