#include "server/hub/hub.hpp"

#include <algorithm>
#include <optional>

#include "core/wake_batch.hpp"

namespace parley::hub {

bool Hub::begin_attach(const std::shared_ptr<Subscriber>& subscriber) {
  std::unique_lock lock(mutex_);
  auto& entry = users_[subscriber->user_id()];
  entry.connections.push_back(subscriber);
  ++connection_count_;
  return entry.connections.size() == 1 && !entry.loaded;
}

void Hub::finish_attach(UserId user, const std::vector<RoomId>& rooms) {
  std::unique_lock lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end() || it->second.loaded) return;
  auto& entry = it->second;
  entry.loaded = true;
  for (RoomId room : rooms) apply(user, entry, {room, user, true});
  if (entry.pending) {
    for (const auto& change : *entry.pending) apply(user, entry, change);
    entry.pending.reset();
  }
}

void Hub::detach(const Subscriber& subscriber) {
  std::unique_lock lock(mutex_);
  auto it = users_.find(subscriber.user_id());
  if (it == users_.end()) return;
  auto& conns = it->second.connections;
  auto gone = std::remove_if(conns.begin(), conns.end(), [&](const auto& c) {
    return c->connection_id() == subscriber.connection_id();
  });
  connection_count_ -= static_cast<std::size_t>(std::distance(gone, conns.end()));
  conns.erase(gone, conns.end());
  if (!conns.empty()) return;
  for (RoomId room : it->second.rooms) {
    auto r = room_users_.find(room);
    if (r == room_users_.end()) continue;
    r->second.erase(it->first);
    if (r->second.empty()) room_users_.erase(r);
  }
  users_.erase(it);
}

void Hub::apply(UserId user, UserEntry& entry, const bus::MembershipChange& change) {
  auto at = std::lower_bound(entry.rooms.begin(), entry.rooms.end(), change.room);
  const bool member = at != entry.rooms.end() && *at == change.room;
  if (change.joined) {
    if (!member) entry.rooms.insert(at, change.room);
    room_users_[change.room].insert(user);
    return;
  }
  if (member) entry.rooms.erase(at);
  auto r = room_users_.find(change.room);
  if (r == room_users_.end()) return;
  r->second.erase(user);
  if (r->second.empty()) room_users_.erase(r);
}

void Hub::on_event(const bus::Event& event) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  if (event.membership) {
    // Subscriptions change first, so that the joined user receives the room's next message.
    std::unique_lock lock(mutex_);
    auto it = users_.find(event.membership->user);
    if (it != users_.end()) {
      if (it->second.loaded) apply(it->first, it->second, *event.membership);
      else {
        if (!it->second.pending) it->second.pending = std::make_unique<std::vector<bus::MembershipChange>>();
        it->second.pending->push_back(*event.membership);
      }
    }
  }
  {
    std::shared_lock lock(mutex_);
    auto add_user = [&](UserId user) {
      if (user == event.skip_user) return;
      auto it = users_.find(user);
      if (it == users_.end() || !it->second.loaded) return;
      for (const auto& c : it->second.connections)
        if (c->connection_id() != event.skip_connection) targets.push_back(c);
    };
    switch (event.audience) {
      case bus::Event::Audience::user: add_user(UserId{event.target}); break;
      case bus::Event::Audience::room:
        if (auto r = room_users_.find(RoomId{event.target}); r != room_users_.end())
          for (UserId user : r->second) add_user(user);
        break;
      case bus::Event::Audience::rooms: {
        std::unordered_set<UserId> seen;
        for (RoomId room : event.rooms)
          if (auto r = room_users_.find(room); r != room_users_.end())
            for (UserId user : r->second)
              if (seen.insert(user).second) add_user(user);
        break;
      }
    }
  }
  deliver_to(targets, event.frame);
}

void Hub::deliver_to(const std::vector<std::shared_ptr<Subscriber>>& targets, const Frame& frame) {
  // To a room of a few, the I/O threads are woken once the frame is in every mailbox, not at
  // the first: on a shared core a woken I/O thread would otherwise take the core for each
  // connection in turn, and the last member would wait for all those switches. To a large
  // room the first visits start at once instead, and later ones take what has piled up since.
  std::optional<core::WakeBatch> wake_once;
  if (targets.size() <= kWakeOnceUpTo) wake_once.emplace();
  for (const auto& target : targets) target->deliver(frame);
}

bool Hub::knows_member(UserId user, RoomId room) const {
  std::shared_lock lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end() || !it->second.loaded) return false;
  return std::binary_search(it->second.rooms.begin(), it->second.rooms.end(), room);
}

std::size_t Hub::connection_count() const {
  std::shared_lock lock(mutex_);
  return connection_count_;
}

std::vector<std::shared_ptr<Subscriber>> Hub::connections() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<Subscriber>> out;
  for (const auto& [user, entry] : users_) out.insert(out.end(), entry.connections.begin(), entry.connections.end());
  return out;
}

}  // namespace parley::hub
