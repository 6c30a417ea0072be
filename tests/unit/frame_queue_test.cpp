// A connection's send queue: oldest first through bursts, steady load and truncation.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "server/gateway/frame_queue.hpp"

namespace parley::gateway {
namespace {

hub::Frame frame(int n) { return std::make_shared<const std::string>(std::to_string(n)); }

TEST(FrameQueue, FramesComeOutInTheOrderTheyWentIn) {
  FrameQueue q;
  EXPECT_TRUE(q.empty());
  for (int i = 0; i < 5; ++i) q.push_back(frame(i));
  EXPECT_EQ(q.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(*q.front(), std::to_string(i));
    q.pop_front();
  }
  EXPECT_TRUE(q.empty());
}

TEST(FrameQueue, SteadyLoadThatNeverEmptiesKeepsTheOrder) {
  FrameQueue q;
  int next_in = 0, next_out = 0;
  for (int i = 0; i < 10; ++i) q.push_back(frame(next_in++));
  // Always ten waiting: the queue is compacted under it many times over.
  for (int round = 0; round < 1000; ++round) {
    q.push_back(frame(next_in++));
    ASSERT_EQ(*q.front(), std::to_string(next_out++));
    q.pop_front();
    ASSERT_EQ(q.size(), 10u);
  }
}

TEST(FrameQueue, TruncateKeepsTheOldest) {
  FrameQueue q;
  for (int i = 0; i < 6; ++i) q.push_back(frame(i));
  q.pop_front();
  q.truncate(2);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(*q.front(), "1");
  q.pop_front();
  EXPECT_EQ(*q.front(), "2");
  q.truncate(0);
  EXPECT_TRUE(q.empty());
  q.push_back(frame(9));
  EXPECT_EQ(*q.front(), "9") << "usable again after being emptied";
}

TEST(FrameQueue, AWrittenFrameIsLetGo) {
  FrameQueue q;
  auto f = frame(1);
  std::weak_ptr<const std::string> watch = f;
  q.push_back(std::move(f));
  q.push_back(frame(2));
  q.pop_front();
  EXPECT_TRUE(watch.expired()) << "a frame shared by many connections is freed once all have written it";
}

}  // namespace
}  // namespace parley::gateway
