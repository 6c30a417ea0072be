// The cluster's view of who is online on which other node: heartbeats, announcements, a
// clean leave and a node that goes silent.
#include <gtest/gtest.h>

#include <algorithm>

#include "bus/nats/node_directory.hpp"

namespace parley::bus {
namespace {

using namespace std::chrono_literals;
using Clock = NodeDirectory::Clock;

std::vector<UserId> sorted(std::vector<UserId> users) {
  std::sort(users.begin(), users.end(), [](UserId a, UserId b) { return a.value < b.value; });
  return users;
}

TEST(NodeDirectory, AHeartbeatFromANewNodeBringsItsUsers) {
  NodeDirectory directory(5s);
  auto t0 = Clock::now();
  auto change = directory.heartbeat(1, {UserId{10}, UserId{11}}, t0);
  EXPECT_TRUE(change.new_node);
  EXPECT_EQ(sorted(change.users), (std::vector<UserId>{UserId{10}, UserId{11}}));
  EXPECT_TRUE(directory.online(UserId{10}));
  EXPECT_FALSE(directory.online(UserId{12}));
}

TEST(NodeDirectory, ALaterHeartbeatReportsOnlyWhatChanged) {
  NodeDirectory directory(5s);
  auto t0 = Clock::now();
  directory.heartbeat(1, {UserId{10}, UserId{11}}, t0);
  auto change = directory.heartbeat(1, {UserId{11}, UserId{12}}, t0 + 1s);
  EXPECT_FALSE(change.new_node);
  EXPECT_EQ(sorted(change.users), (std::vector<UserId>{UserId{10}, UserId{12}}));
  EXPECT_FALSE(directory.online(UserId{10}));
  EXPECT_TRUE(directory.online(UserId{12}));
}

TEST(NodeDirectory, AnnouncementsBetweenHeartbeats) {
  NodeDirectory directory(5s);
  auto t0 = Clock::now();
  directory.heartbeat(1, {}, t0);
  EXPECT_EQ(directory.announce(1, UserId{10}, true, t0).users, std::vector<UserId>{UserId{10}});
  EXPECT_TRUE(directory.announce(1, UserId{10}, true, t0).users.empty()) << "no change, nothing to tell";
  EXPECT_TRUE(directory.online(UserId{10}));
  EXPECT_EQ(directory.announce(1, UserId{10}, false, t0).users, std::vector<UserId>{UserId{10}});
  EXPECT_FALSE(directory.online(UserId{10}));
}

TEST(NodeDirectory, AUserOnTwoNodesStaysOnlineUntilBothLetGo) {
  NodeDirectory directory(5s);
  auto t0 = Clock::now();
  directory.heartbeat(1, {UserId{10}}, t0);
  directory.heartbeat(2, {UserId{10}}, t0);
  directory.announce(1, UserId{10}, false, t0);
  EXPECT_TRUE(directory.online(UserId{10}));
  directory.leave(2);
  EXPECT_FALSE(directory.online(UserId{10}));
}

TEST(NodeDirectory, ASilentNodeExpiresWithItsUsersAndOnlyIt) {
  NodeDirectory directory(5s);
  auto t0 = Clock::now();
  directory.heartbeat(1, {UserId{10}}, t0);
  directory.heartbeat(2, {UserId{20}}, t0);
  directory.heartbeat(2, {UserId{20}}, t0 + 4s);
  EXPECT_TRUE(directory.expire(t0 + 5s).empty()) << "exactly the time to live is still alive";
  EXPECT_EQ(directory.expire(t0 + 6s), std::vector<UserId>{UserId{10}});
  EXPECT_FALSE(directory.online(UserId{10}));
  EXPECT_TRUE(directory.online(UserId{20}));
  EXPECT_EQ(directory.node_count(), 1u);
}

TEST(NodeDirectory, ANodeThatLeavesTakesItsUsersAtOnce) {
  NodeDirectory directory(5s);
  directory.heartbeat(1, {UserId{10}, UserId{11}}, Clock::now());
  EXPECT_EQ(sorted(directory.leave(1).users), (std::vector<UserId>{UserId{10}, UserId{11}}));
  EXPECT_TRUE(directory.leave(1).users.empty());
  EXPECT_EQ(directory.node_count(), 0u);
}

}  // namespace
}  // namespace parley::bus
