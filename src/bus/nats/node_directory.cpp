#include "bus/nats/node_directory.hpp"

#include <algorithm>

namespace parley::bus {

NodeDirectory::Node& NodeDirectory::touch(NodeId node, Clock::time_point now, bool& is_new) {
  auto [it, inserted] = nodes_.try_emplace(node);
  is_new = inserted;
  it->second.last_heard = now;
  return it->second;
}

NodeDirectory::Change NodeDirectory::heartbeat(NodeId node, std::vector<UserId> users, Clock::time_point now) {
  Change change;
  Node& entry = touch(node, now, change.new_node);
  std::unordered_set<UserId> next(users.begin(), users.end());
  for (UserId u : entry.users)
    if (!next.contains(u)) change.users.push_back(u);
  for (UserId u : next)
    if (!entry.users.contains(u)) change.users.push_back(u);
  entry.users = std::move(next);
  return change;
}

NodeDirectory::Change NodeDirectory::announce(NodeId node, UserId user, bool online, Clock::time_point now) {
  Change change;
  Node& entry = touch(node, now, change.new_node);
  bool changed = online ? entry.users.insert(user).second : entry.users.erase(user) > 0;
  if (changed) change.users.push_back(user);
  return change;
}

NodeDirectory::Change NodeDirectory::leave(NodeId node) {
  Change change;
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return change;
  change.users.assign(it->second.users.begin(), it->second.users.end());
  nodes_.erase(it);
  return change;
}

std::vector<UserId> NodeDirectory::expire(Clock::time_point now) {
  std::vector<UserId> gone;
  std::erase_if(nodes_, [&](const auto& entry) {
    if (now - entry.second.last_heard <= ttl_) return false;
    gone.insert(gone.end(), entry.second.users.begin(), entry.second.users.end());
    return true;
  });
  return gone;
}

bool NodeDirectory::online(UserId user) const {
  return std::any_of(nodes_.begin(), nodes_.end(), [&](const auto& entry) { return entry.second.users.contains(user); });
}

}  // namespace parley::bus
