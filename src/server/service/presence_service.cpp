#include "server/service/presence_service.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "core/clock.hpp"

namespace parley::service {

using domain::PresenceStatus;
using domain::StoredPresence;

struct PresenceService::PresenceChange {
  StoredPresence stored;
  std::vector<RoomId> rooms;  // where the user's contacts are
  bool was_visible = false;
};

bool PresenceService::online_locked(UserId user) const {
  auto it = devices_.find(user);
  return (it != devices_.end() && it->second.connections > 0) || bus_.online_elsewhere(user);
}

bool PresenceService::connected(UserId user) {
  std::lock_guard lock(mutex_);
  return online_locked(user);
}

void PresenceService::reconsider_locked(UserId user) {
  const bool online = online_locked(user);
  auto it = devices_.find(user);
  if (it == devices_.end()) {
    if (!online) return;  // never shown online here: nothing to take back
    it = devices_.emplace(user, Devices{}).first;
  }
  Devices& d = it->second;
  if (d.shown_online == online) return;
  d.shown_online = online;
  d.version = ++next_version_;
  tell_contacts(user, online, d.version);
}

void PresenceService::tell_contacts(UserId user, bool online, std::uint64_t version) {
  reads_.submit<PresenceChange>(
      [user](store::StoreSession& session) -> Result<PresenceChange> {
        PARLEY_TRY(stored, session.find_presence(user));
        PARLEY_TRY(rooms, session.list_room_ids_for_user(user));
        bool visible = stored.status != PresenceStatus::invisible;
        return PresenceChange{std::move(stored), std::move(rooms), visible};
      },
      [this, user, online, version](Result<PresenceChange> change) {
        if (!change) {
          // The node has already taken the new state as shown: without a retry, contacts would
          // keep the old one until the user's next change. A refused read answers at once, on
          // this thread, which may hold mutex_: failed_ has a lock of its own.
          std::lock_guard failed_lock(failed_mutex_);
          failed_[user] = {online, version};
          return;
        }
        std::lock_guard lock(mutex_);
        auto it = devices_.find(user);
        if (it == devices_.end() || it->second.version != version) return;  // changed again since
        if (change->was_visible)
          events_.presence_to_contacts(domain::seen_by_others(change->stored, online), change->rooms,
                                       /*this_node_only=*/true);
        if (!online && it->second.connections == 0) devices_.erase(it);
      });
}

void PresenceService::retry_failed() {
  std::unordered_map<UserId, std::pair<bool, std::uint64_t>> failed;
  {
    std::lock_guard failed_lock(failed_mutex_);
    failed.swap(failed_);
  }
  std::lock_guard lock(mutex_);
  for (const auto& [user, telling] : failed) {
    auto it = devices_.find(user);
    if (it == devices_.end() || it->second.version != telling.second) continue;  // changed again since
    tell_contacts(user, telling.first, telling.second);
  }
}

void PresenceService::elsewhere_changed(UserId user) {
  std::lock_guard lock(mutex_);
  reconsider_locked(user);
}

void PresenceService::connected(const Caller& caller, Done<PresenceSnapshot> done) {
  {
    std::lock_guard lock(mutex_);
    if (++devices_[caller.user].connections == 1) {
      bus_.announce_online(caller.user, true);
      reconsider_locked(caller.user);
    }
  }
  struct Loaded {
    StoredPresence self;
    std::vector<StoredPresence> contacts;
  };
  reads_.submit<Loaded>(
      [user = caller.user](store::StoreSession& session) -> Result<Loaded> {
        PARLEY_TRY(self, session.find_presence(user));
        PARLEY_TRY(contacts, session.list_contacts_presence(user));
        return Loaded{std::move(self), std::move(contacts)};
      },
      [this, done = std::move(done)](Result<Loaded> loaded) {
        if (!loaded) return done(std::unexpected(loaded.error()));
        PresenceSnapshot snapshot;
        snapshot.self = domain::seen_by_self(loaded->self, true);
        std::lock_guard lock(mutex_);
        if (auto it = devices_.find(loaded->self.user); it != devices_.end() && !it->second.status_set_here)
          it->second.invisible = loaded->self.status == PresenceStatus::invisible;
        for (const auto& c : loaded->contacts)
          snapshot.contacts.push_back(domain::seen_by_others(c, online_locked(c.user)));
        done(std::move(snapshot));
      });
}

void PresenceService::disconnected(const Caller& caller) {
  {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(caller.user);
    if (it == devices_.end() || it->second.connections == 0) return;
    if (--it->second.connections > 0) return;
  }
  // Last seen is written before anyone hears of the change, so that every node, reading the
  // store when it tells its connections, finds the new value. Each node writes it when its own
  // last device of the user goes: the user's last device anywhere writes it last.
  const TimestampMs now = now_ms();
  writes_.submit<bool>(
      [user = caller.user, now](store::StoreSession& session) -> Result<bool> {
        PARLEY_TRY(stored, session.find_presence(user));
        // An invisible user was never seen online: last seen stays where it was.
        if (stored.status == PresenceStatus::invisible) return false;
        PARLEY_CHECK(session.set_last_seen(user, now));
        return true;
      },
      [this, user = caller.user](Result<bool>) {
        std::lock_guard lock(mutex_);
        auto it = devices_.find(user);
        if (it != devices_.end() && it->second.connections > 0) return;  // back online since
        bus_.announce_online(user, false);
        reconsider_locked(user);
      });
}

Result<std::vector<StoredPresence>> PresenceService::members_presence(store::StoreSession& session, RoomId room) {
  PARLEY_TRY(members, session.list_members(room));
  std::vector<StoredPresence> out;
  out.reserve(members.size());
  for (const auto& m : members) {
    PARLEY_TRY(p, session.find_presence(m.user_id));
    out.push_back(std::move(p));
  }
  return out;
}

void PresenceService::introduce(const std::vector<StoredPresence>& members, std::vector<UserId> newcomers) {
  if (newcomers.empty()) return;
  if (members.size() > kIntroduceMax) newcomers.resize(1);
  std::lock_guard lock(mutex_);
  auto connected = [&](UserId u) { return online_locked(u); };
  std::set<std::pair<std::int64_t, std::int64_t>> introduced;  // each pair once
  for (UserId newcomer : newcomers) {
    const StoredPresence* mine = nullptr;
    for (const auto& p : members)
      if (p.user == newcomer) mine = &p;
    if (!mine) continue;
    for (const auto& other : members) {
      if (other.user == newcomer) continue;
      auto pair = std::minmax(newcomer.value, other.user.value);
      if (!introduced.insert(pair).second) continue;
      events_.presence_to_user(newcomer, domain::seen_by_others(other, connected(other.user)));
      events_.presence_to_user(other.user, domain::seen_by_others(*mine, connected(newcomer)));
    }
  }
}

void PresenceService::set_status(const Caller& caller, PresenceStatus status, Done<domain::PresenceView> done) {
  bool connected;
  {
    std::lock_guard lock(mutex_);
    connected = online_locked(caller.user);
  }
  writes_.submit<PresenceChange>(
      [this, user = caller.user, status, connected](store::StoreSession& session) -> Result<PresenceChange> {
        PARLEY_TRY(stored, session.find_presence(user));
        bool was_visible = stored.status != PresenceStatus::invisible;
        // Going out of sight while online is, for others, the moment the user was last seen.
        const bool seen_now = connected && was_visible && status == PresenceStatus::invisible;
        if (seen_now) stored.last_seen_at = now_ms();
        stored.status = status;
        PARLEY_TRY(rooms, session.list_room_ids_for_user(user));
        PresenceChange change{std::move(stored), std::move(rooms), was_visible};
        // Others are told now, inside the transaction and before its writes, not after its
        // commit: a status is shown, not kept by those who see it, and waiting for the disk
        // sync would more than double the time it takes to show. The writer runs changes one
        // at a time, so the events keep their order. The caller's reply still waits for the
        // commit; a write or commit that fails (the disk) answers the caller with an error, and
        // what others were shown lasts until the user's next change or connection.
        announce(user, change);
        if (seen_now) PARLEY_CHECK(session.set_last_seen(user, *change.stored.last_seen_at));
        PARLEY_CHECK(session.set_presence_status(user, status));
        return change;
      },
      [this, user = caller.user, done = std::move(done)](Result<PresenceChange> change) {
        if (!change) return done(std::unexpected(change.error()));
        bool online;
        {
          std::lock_guard lock(mutex_);
          online = online_locked(user);
        }
        done(domain::seen_by_self(change->stored, online));
      });
}

bool PresenceService::invisible(UserId user) {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(user);
  return it != devices_.end() && it->second.invisible;
}

void PresenceService::status_chosen_elsewhere(UserId user, domain::PresenceStatus status) {
  std::lock_guard lock(mutex_);
  if (auto it = devices_.find(user); it != devices_.end()) {
    it->second.invisible = status == PresenceStatus::invisible;
    it->second.status_set_here = true;  // newer than any snapshot still being read
  }
}

void PresenceService::announce(UserId user, const PresenceChange& change) {
  std::lock_guard lock(mutex_);
  if (auto it = devices_.find(user); it != devices_.end()) {
    it->second.invisible = change.stored.status == PresenceStatus::invisible;
    it->second.status_set_here = true;
  }
  const bool online = online_locked(user);
  const bool now_visible = change.stored.status != PresenceStatus::invisible;
  // Others hear only what they can see: nothing while the user stays invisible.
  if (online && (change.was_visible || now_visible))
    events_.presence_to_contacts(domain::seen_by_others(change.stored, true), change.rooms);
  events_.presence_to_self(domain::seen_by_self(change.stored, online));
}

void PresenceService::seen(std::vector<UserId> users, Done<std::vector<domain::PresenceView>> done) {
  reads_.submit<std::vector<StoredPresence>>(
      [users = std::move(users)](store::StoreSession& session) -> Result<std::vector<StoredPresence>> {
        std::vector<StoredPresence> stored;
        for (UserId user : users) {
          PARLEY_TRY(one, session.find_presence(user));
          stored.push_back(std::move(one));
        }
        return stored;
      },
      [this, done = std::move(done)](Result<std::vector<StoredPresence>> stored) {
        if (!stored) return done(std::unexpected(stored.error()));
        std::vector<domain::PresenceView> views;
        {
          std::lock_guard lock(mutex_);
          for (const auto& one : *stored) views.push_back(domain::seen_by_others(one, online_locked(one.user)));
        }
        done(std::move(views));
      });
}

}  // namespace parley::service
