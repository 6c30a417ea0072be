#include "server/hub/hub.hpp"

#include <algorithm>
#include <optional>

#include "core/metrics.hpp"
#include "core/wake_batch.hpp"
#include "core/login_tag.hpp"

namespace parley::hub {

bool Hub::begin_attach(const std::shared_ptr<Subscriber>& subscriber) {
  std::unique_lock lock(mutex_);
  auto& entry = users_[subscriber->user_id()];
  entry.connections.push_back(subscriber);
  ++connection_count_;
  return entry.connections.size() == 1 && !entry.loaded;
}

void Hub::finish_attach(UserId user, const std::vector<domain::RoomHead>& rooms) {
  std::unique_lock lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end() || it->second.loaded) return;
  auto& entry = it->second;
  entry.loaded = true;
  for (const auto& head : rooms) apply(user, entry, {head.room, user, true, head.last_seq});
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
    auto r = rooms_.find(room);
    if (r == rooms_.end()) continue;
    r->second.users.erase(it->first);
    if (r->second.users.empty()) rooms_.erase(r);
  }
  users_.erase(it);
}

void Hub::apply(UserId user, UserEntry& entry, const bus::MembershipChange& change) {
  auto at = std::lower_bound(entry.rooms.begin(), entry.rooms.end(), change.room);
  const bool member = at != entry.rooms.end() && *at == change.room;
  if (change.joined) {
    if (!member) entry.rooms.insert(at, change.room);
    auto [room, created] = rooms_.try_emplace(change.room);
    // The first user here to follow the room sets where its stream starts; a since_seq below 0
    // (an event from a node of the previous release) leaves it to the first message.
    if (created) room->second.since = change.since_seq;
    room->second.users.insert(user);
    return;
  }
  if (member) entry.rooms.erase(at);
  auto r = rooms_.find(change.room);
  if (r == rooms_.end()) return;
  r->second.users.erase(user);
  if (r->second.users.empty()) rooms_.erase(r);
}

void Hub::apply_membership(const bus::MembershipChange& change) {
  // Subscriptions change first, so that the joined user receives the room's next message.
  std::unique_lock lock(mutex_);
  auto it = users_.find(change.user);
  if (it == users_.end()) return;
  if (it->second.loaded) {
    apply(it->first, it->second, change);
    return;
  }
  if (!it->second.pending) it->second.pending = std::make_unique<std::vector<bus::MembershipChange>>();
  it->second.pending->push_back(change);
}

void Hub::on_event(const bus::Event& event) {
  if (!event.ended_login.empty()) return end_login(UserId{event.target}, event.ended_login);
  if (event.membership) apply_membership(*event.membership);
  if (event.seq > 0 && event.audience == bus::Event::Audience::room) return on_message(event);
  deliver_now(event);
}

void Hub::on_message(const bus::Event& event) {
  std::shared_ptr<OrderedStream> stream;
  {
    std::shared_lock lock(mutex_);
    auto r = rooms_.find(RoomId{event.target});
    if (r == rooms_.end()) return;  // nobody here follows the room
    stream = r->second.stream;
  }
  if (!stream) {
    std::unique_lock lock(mutex_);
    auto r = rooms_.find(RoomId{event.target});
    if (r == rooms_.end()) return;
    auto& entry = r->second;
    if (!entry.stream)
      entry.stream = std::make_shared<OrderedStream>(entry.since >= 0 ? std::optional<Seq>(entry.since) : std::nullopt);
    stream = entry.stream;
  }
  bool gap_opened = false;
  {
    std::lock_guard order(stream->mutex);
    const bool had_gap = stream->order.has_gap();
    std::vector<bus::Event> ready;
    stream->order.accept(event, Clock::now(), ready);
    gap_opened = !had_gap && stream->order.has_gap();
    for (const auto& message : ready) deliver_now(message);
  }
  if (gap_opened) {
    metrics::server().stream_gaps.add();
    if (on_gap_) on_gap_();
  }
}

void Hub::deliver_now(const bus::Event& event) {
  std::vector<std::shared_ptr<Subscriber>> targets;
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
        if (auto r = rooms_.find(RoomId{event.target}); r != rooms_.end())
          for (UserId user : r->second.users) add_user(user);
        break;
      case bus::Event::Audience::realtime_topic: break;  // the Realtime relay's, not the hub's
      case bus::Event::Audience::rooms: {
        std::unordered_set<UserId> seen;
        for (RoomId room : event.rooms)
          if (auto r = rooms_.find(room); r != rooms_.end())
            for (UserId user : r->second.users)
              if (seen.insert(user).second) add_user(user);
        break;
      }
    }
  }
  deliver_to(targets, event.frame);
}

void Hub::deliver_to(const std::vector<std::shared_ptr<Subscriber>>& targets, const Frame& frame) {
  if (!frame || frame->empty()) return;  // an event without a frame only changes state
  // To a room of a few, the I/O threads are woken once the frame is in every mailbox, not at
  // the first: on a shared core a woken I/O thread would otherwise take the core for each
  // connection in turn, and the last member would wait for all those switches. To a large
  // room the first visits start at once instead, and later ones take what has piled up since.
  std::optional<core::WakeBatch> wake_once;
  if (targets.size() <= kWakeOnceUpTo) wake_once.emplace();
  for (const auto& target : targets) target->deliver(frame);
}

void Hub::end_login(UserId user, std::string_view login) {
  const std::uint32_t tag = login_tag(login);
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::shared_lock lock(mutex_);
    auto it = users_.find(user);
    if (it == users_.end()) return;
    targets.assign(it->second.connections.begin(), it->second.connections.end());
  }
  for (const auto& target : targets) target->end_login(tag);
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

std::vector<Hub::StreamRef> Hub::stream_refs() const {
  std::shared_lock lock(mutex_);
  std::vector<StreamRef> refs;
  refs.reserve(rooms_.size());
  for (const auto& [room, entry] : rooms_) refs.push_back({room, entry.since, entry.stream});
  return refs;
}

std::vector<domain::RoomHead> Hub::positions() const {
  // Each stream is read under its own mutex, taken after the hub's is released (lock order).
  std::vector<domain::RoomHead> out;
  for (const auto& ref : stream_refs()) {
    if (!ref.stream) {
      out.push_back({ref.room, ref.since});
      continue;
    }
    std::lock_guard order(ref.stream->mutex);
    out.push_back({ref.room, ref.stream->order.delivered().value_or(-1)});
  }
  return out;
}

std::vector<domain::RoomHead> Hub::gaps_due(Clock::time_point cutoff) const {
  std::vector<domain::RoomHead> out;
  for (const auto& ref : stream_refs()) {
    if (!ref.stream) continue;
    std::lock_guard order(ref.stream->mutex);
    if (ref.stream->order.has_gap() && ref.stream->order.gap_since() <= cutoff)
      out.push_back({ref.room, ref.stream->order.delivered().value_or(0)});
  }
  return out;
}

bool Hub::holding() const {
  for (const auto& ref : stream_refs()) {
    if (!ref.stream) continue;
    std::lock_guard order(ref.stream->mutex);
    if (ref.stream->order.has_gap()) return true;
  }
  return false;
}

std::vector<UserId> Hub::users() const {
  std::shared_lock lock(mutex_);
  std::vector<UserId> out;
  for (const auto& [user, entry] : users_)
    if (entry.loaded) out.push_back(user);
  return out;
}

std::vector<bus::MembershipChange> Hub::reconcile(UserId user, const std::vector<domain::RoomHead>& rooms) {
  std::unique_lock lock(mutex_);
  std::vector<bus::MembershipChange> changes;
  auto it = users_.find(user);
  if (it == users_.end() || !it->second.loaded) return changes;
  auto& entry = it->second;
  std::vector<RoomId> wanted;
  for (const auto& head : rooms) {
    wanted.push_back(head.room);
    if (!std::binary_search(entry.rooms.begin(), entry.rooms.end(), head.room))
      changes.push_back({head.room, user, true, head.last_seq});
  }
  std::sort(wanted.begin(), wanted.end());
  for (RoomId room : entry.rooms)
    if (!std::binary_search(wanted.begin(), wanted.end(), room)) changes.push_back({room, user, false});
  for (const auto& change : changes) apply(user, entry, change);
  return changes;
}

}  // namespace parley::hub
