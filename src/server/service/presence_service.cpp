#include "server/service/presence_service.hpp"

#include <algorithm>
#include <set>

#include "core/clock.hpp"

namespace parley::service {

using domain::PresenceStatus;
using domain::StoredPresence;

namespace {

struct PresenceChange {
  StoredPresence stored;
  std::vector<RoomId> rooms;  // where the user's contacts are
  bool was_visible = false;
};

}  // namespace

bool PresenceService::is_connected(UserId user) {
  std::lock_guard lock(mutex_);
  auto it = devices_.find(user);
  return it != devices_.end() && it->second.connections > 0;
}

void PresenceService::connected(const Caller& caller, Done<PresenceSnapshot> done) {
  std::uint64_t version = 0;
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    auto& d = devices_[caller.user];
    first = ++d.connections == 1;
    if (first) version = ++d.version;
  }
  struct Loaded {
    StoredPresence self;
    std::vector<StoredPresence> contacts;
    std::vector<RoomId> rooms;
  };
  reads_.submit<Loaded>(
      [user = caller.user](store::StoreSession& session) -> Result<Loaded> {
        PARLEY_TRY(self, session.find_presence(user));
        PARLEY_TRY(contacts, session.list_contacts_presence(user));
        PARLEY_TRY(rooms, session.list_room_ids_for_user(user));
        return Loaded{std::move(self), std::move(contacts), std::move(rooms)};
      },
      [this, user = caller.user, first, version, done = std::move(done)](Result<Loaded> loaded) {
        if (!loaded) return done(std::unexpected(loaded.error()));
        PresenceSnapshot snapshot;
        snapshot.self = domain::seen_by_self(loaded->self, true);
        std::lock_guard lock(mutex_);
        for (const auto& c : loaded->contacts) {
          auto it = devices_.find(c.user);
          snapshot.contacts.push_back(domain::seen_by_others(c, it != devices_.end() && it->second.connections > 0));
        }
        auto& d = devices_[user];
        if (first && d.version == version && d.connections > 0 && loaded->self.status != PresenceStatus::invisible)
          events_.presence_to_contacts(domain::seen_by_others(loaded->self, true), loaded->rooms);
        done(std::move(snapshot));
      });
}

void PresenceService::disconnected(const Caller& caller) {
  std::uint64_t version = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(caller.user);
    if (it == devices_.end() || it->second.connections == 0) return;
    if (--it->second.connections > 0) return;
    version = ++it->second.version;
  }
  const TimestampMs now = now_ms();
  writes_.submit<PresenceChange>(
      [user = caller.user, now](store::StoreSession& session) -> Result<PresenceChange> {
        PARLEY_TRY(stored, session.find_presence(user));
        PARLEY_TRY(rooms, session.list_room_ids_for_user(user));
        bool visible = stored.status != PresenceStatus::invisible;
        // An invisible user was never seen online: last seen stays where it was.
        if (visible) {
          PARLEY_CHECK(session.set_last_seen(user, now));
          stored.last_seen_at = now;
        }
        return PresenceChange{std::move(stored), std::move(rooms), visible};
      },
      [this, user = caller.user, version](Result<PresenceChange> change) {
        if (!change) return;
        std::lock_guard lock(mutex_);
        auto it = devices_.find(user);
        if (it == devices_.end() || it->second.version != version) return;  // back online since
        if (change->was_visible) events_.presence_to_contacts(domain::seen_by_others(change->stored, false), change->rooms);
        devices_.erase(it);
      });
}

void PresenceService::introduce(RoomId room, std::vector<UserId> newcomers) {
  if (newcomers.empty()) return;
  reads_.submit<std::vector<StoredPresence>>(
      [room](store::StoreSession& session) -> Result<std::vector<StoredPresence>> {
        PARLEY_TRY(members, session.list_members(room));
        std::vector<StoredPresence> out;
        for (const auto& m : members) {
          PARLEY_TRY(p, session.find_presence(m.user_id));
          out.push_back(std::move(p));
        }
        return out;
      },
      [this, newcomers = std::move(newcomers)](Result<std::vector<StoredPresence>> members) mutable {
        if (!members) return;
        if (members->size() > kIntroduceMax) newcomers.resize(1);
        std::lock_guard lock(mutex_);
        auto connected = [&](UserId u) {
          auto it = devices_.find(u);
          return it != devices_.end() && it->second.connections > 0;
        };
        std::set<std::pair<std::int64_t, std::int64_t>> introduced;  // each pair once
        for (UserId newcomer : newcomers) {
          const StoredPresence* mine = nullptr;
          for (const auto& p : *members)
            if (p.user == newcomer) mine = &p;
          if (!mine) continue;
          for (const auto& other : *members) {
            if (other.user == newcomer) continue;
            auto pair = std::minmax(newcomer.value, other.user.value);
            if (!introduced.insert(pair).second) continue;
            events_.presence_to_user(newcomer, domain::seen_by_others(other, connected(other.user)));
            events_.presence_to_user(other.user, domain::seen_by_others(*mine, connected(newcomer)));
          }
        }
      });
}

void PresenceService::set_status(const Caller& caller, PresenceStatus status, Done<domain::PresenceView> done) {
  const bool connected = is_connected(caller.user);
  writes_.submit<PresenceChange>(
      [user = caller.user, status, connected](store::StoreSession& session) -> Result<PresenceChange> {
        PARLEY_TRY(stored, session.find_presence(user));
        bool was_visible = stored.status != PresenceStatus::invisible;
        // Going out of sight while online is, for others, the moment the user was last seen.
        if (connected && was_visible && status == PresenceStatus::invisible) {
          TimestampMs now = now_ms();
          PARLEY_CHECK(session.set_last_seen(user, now));
          stored.last_seen_at = now;
        }
        PARLEY_CHECK(session.set_presence_status(user, status));
        stored.status = status;
        PARLEY_TRY(rooms, session.list_room_ids_for_user(user));
        return PresenceChange{std::move(stored), std::move(rooms), was_visible};
      },
      [this, user = caller.user, done = std::move(done)](Result<PresenceChange> change) {
        if (!change) return done(std::unexpected(change.error()));
        bool online;
        {
          std::lock_guard lock(mutex_);
          auto it = devices_.find(user);
          online = it != devices_.end() && it->second.connections > 0;
          bool now_visible = change->stored.status != PresenceStatus::invisible;
          // Others hear only what they can see: nothing while the user stays invisible.
          if (online && (change->was_visible || now_visible))
            events_.presence_to_contacts(domain::seen_by_others(change->stored, true), change->rooms);
          events_.presence_to_self(domain::seen_by_self(change->stored, online));
        }
        done(domain::seen_by_self(change->stored, online));
      });
}

}  // namespace parley::service
