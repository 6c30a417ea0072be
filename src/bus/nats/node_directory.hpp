#pragma once
// Which users are online on which other node, kept by every node from the others' heartbeats
// and announcements. Pure bookkeeping, no I/O: NatsBus feeds it and acts on what it returns.
//
// A node is alive while its heartbeats keep coming; one silent for longer than the time to
// live is taken as dead and its users with it. That bounds how long a crashed node's users
// look online: the time to live plus one sweep.
#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/ids.hpp"

namespace parley::bus {

using NodeId = std::uint64_t;

class NodeDirectory {
 public:
  using Clock = std::chrono::steady_clock;

  explicit NodeDirectory(std::chrono::milliseconds time_to_live) : ttl_(time_to_live) {}

  // What a message from another node changed: the users whose online_elsewhere() may differ
  // now, and whether the node was unknown until this message (a new node, which should hear
  // this node's own users at once rather than at its next beat).
  struct Change {
    std::vector<UserId> users;
    bool new_node = false;
  };

  // A node's whole list of users: replaces what was known of it.
  Change heartbeat(NodeId node, std::vector<UserId> users, Clock::time_point now);
  // A node gained or lost a user between heartbeats.
  Change announce(NodeId node, UserId user, bool online, Clock::time_point now);
  // A node said it is leaving (a clean shutdown): its users go now, not after the time to live.
  Change leave(NodeId node);
  // Forgets the nodes silent for longer than the time to live; returns the users they took.
  std::vector<UserId> expire(Clock::time_point now);

  [[nodiscard]] bool online(UserId user) const;
  [[nodiscard]] std::size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    std::unordered_set<UserId> users;
    Clock::time_point last_heard;
  };

  Node& touch(NodeId node, Clock::time_point now, bool& is_new);

  std::chrono::milliseconds ttl_;
  std::unordered_map<NodeId, Node> nodes_;
};

}  // namespace parley::bus
