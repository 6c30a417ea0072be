#include "server/service/rooms_service.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "domain/limits.hpp"
#include "domain/shared_watermarks.hpp"
#include "domain/validation.hpp"
#include "server/service/integration_events.hpp"
#include "server/service/publish_then_reply.hpp"
#include "server/service/room_access.hpp"

namespace parley::service {

using domain::Action;
using domain::Role;
using domain::RoomSummary;

namespace {

// The status of the last message, when the user wrote it: "sent, delivered, read" in the list.
Result<void> add_last_message_status(store::StoreSession& session, RoomSummary& summary) {
  const auto& last = summary.last_message;
  if (!last || last->sender_id != summary.me.user_id || last->type == domain::MessageType::system) return {};
  PARLEY_TRY(members, session.list_members(summary.room.id));
  summary.last_message_status = domain::status_of(*last, domain::as_seen_by(std::move(members), summary.me.user_id));
  return {};
}

Result<RoomSummary> summary_for(store::StoreSession& session, RoomId room, UserId user) {
  PARLEY_TRY(summary, session.find_room_summary(room, user));
  if (!summary) return fail(ErrorCode::not_found, "room not found");
  PARLEY_CHECK(add_last_message_status(session, *summary));
  return std::move(*summary);
}

// The acting user exists: always so for a connection's caller, but the app's backend names
// whom it acts as, and the answer to a wrong id is "no such user", not the store's refusal.
Result<void> require_user(store::StoreSession& session, UserId user) {
  PARLEY_TRY(found, session.find_user(user));
  if (!found) return fail(ErrorCode::not_found, "no such user");
  return {};
}

Result<domain::User> resolve_peer(store::StoreSession& session, const Peer& peer) {
  std::optional<domain::User> user;
  if (const auto* id = std::get_if<UserId>(&peer)) {
    PARLEY_TRY(found, session.find_user(*id));
    user = std::move(found);
  } else {
    auto name = domain::normalize_username(std::get<std::string>(peer));
    if (name) {
      PARLEY_TRY(found, session.find_user_by_username(*name));
      user = std::move(found);
    }
  }
  if (!user) return fail(ErrorCode::not_found, "no such user");
  return std::move(*user);
}

}  // namespace

template <class T>
void RoomsService::write(std::function<Result<Committed<T>>(store::StoreSession&)> work, Done<T> done) {
  submit_change<T>(writes_, events_, std::move(work), std::move(done));
}

void RoomsService::list(const Caller& caller, Done<std::vector<RoomSummary>> done) {
  reads_.submit<std::vector<RoomSummary>>(
      [user = caller.user](store::StoreSession& session) -> Result<std::vector<RoomSummary>> {
        PARLEY_TRY(rooms, session.list_room_summaries(user));
        for (auto& summary : rooms) PARLEY_CHECK(add_last_message_status(session, summary));
        return rooms;
      },
      std::move(done));
}

void RoomsService::room_heads(const Caller& caller, Done<std::vector<domain::RoomHead>> done) {
  reads_.submit<std::vector<domain::RoomHead>>(
      [user = caller.user](store::StoreSession& session) { return session.list_room_heads_for_user(user); },
      std::move(done));
}

void RoomsService::get(const Caller& caller, RoomId room, Done<RoomSummary> done) {
  reads_.submit<RoomSummary>(
      [user = caller.user, room](store::StoreSession& session) { return summary_for(session, room, user); },
      std::move(done));
}

void RoomsService::create_group(const Caller& caller, std::string name, std::vector<UserId> members,
                                Done<RoomSummary> done, std::vector<UserId> admins) {
  if (auto ok = domain::validate_room_name(name); !ok) return done(std::unexpected(ok.error()));
  if (members.size() > domain::limits::kInitialMembersMax)
    return done(fail(ErrorCode::invalid_payload, "members may name at most 256 users; add more later"));
  std::erase(members, caller.user);
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  std::vector<UserId> everyone = members;
  everyone.insert(everyone.begin(), caller.user);
  std::vector<UserId> founders = everyone;  // the work's own copy: the completion takes `everyone`

  // Filled by the write, read by its completion: both run on the writer thread, in turn.
  auto presences = std::make_shared<std::vector<domain::StoredPresence>>();
  write<RoomSummary>(
      [caller, name = std::move(name), members = std::move(members), founders = std::move(founders),
       admins = std::move(admins), presences](store::StoreSession& session) -> Result<Committed<RoomSummary>> {
        PARLEY_CHECK(require_user(session, caller.user));
        PARLEY_TRY(found, session.find_users(members));
        if (found.size() != members.size()) return fail(ErrorCode::not_found, "members names a user that does not exist");
        const TimestampMs now = now_ms();
        domain::Room room{RoomId{}, domain::RoomKind::group, name, 0, caller.user, now};
        PARLEY_TRY(created, session.insert_room(room, std::nullopt));
        PARLEY_CHECK(session.insert_member({created.id, caller.user, Role::admin, now, 0, 0}));
        for (UserId member : members) {
          const Role role = std::ranges::find(admins, member) != admins.end() ? Role::admin : Role::member;
          PARLEY_CHECK(session.insert_member({created.id, member, role, now, 0, 0}));
        }
        PARLEY_TRY(notice, append_system_message(session, created.id, caller.user,
                                                 domain::SystemEvent::room_created, UserId{}, name));
        Committed<RoomSummary> out;
        out.events.integration(room_created(created, founders));
        PARLEY_TRY(mine, summary_for(session, created.id, caller.user));
        // Everyone gets the room's creation notice live: their streams start before it.
        out.events.joined(caller.user, mine, notice.seq - 1, caller.connection);
        for (UserId member : members) {
          PARLEY_TRY(theirs, summary_for(session, created.id, member));
          out.events.joined(member, std::move(theirs), notice.seq - 1);
        }
        out.events.message(std::move(notice));
        out.reply = std::move(mine);
        PARLEY_TRY(loaded, PresenceService::members_presence(session, created.id));
        *presences = std::move(loaded);
        return out;
      },
      [this, everyone = std::move(everyone), presences, done = std::move(done)](Result<RoomSummary> created) {
        if (created) presence_.introduce(*presences, everyone);
        done(std::move(created));
      });
}

void RoomsService::direct(const Caller& caller, Peer peer, Done<DirectRoom> done) {
  auto presences = std::make_shared<std::vector<domain::StoredPresence>>();
  write<DirectRoom>(
      [caller, peer = std::move(peer), presences](store::StoreSession& session) -> Result<Committed<DirectRoom>> {
        PARLEY_CHECK(require_user(session, caller.user));
        PARLEY_TRY(other, resolve_peer(session, peer));
        if (other.id == caller.user) return fail(ErrorCode::conflict, "a direct room needs another user");
        const std::string key = domain::direct_room_key(caller.user, other.id);
        Committed<DirectRoom> out;
        PARLEY_TRY(existing, session.find_direct_room(key));
        if (existing) {
          PARLEY_TRY(mine, summary_for(session, existing->id, caller.user));
          out.reply = DirectRoom{std::move(mine), false};
          return out;
        }
        const TimestampMs now = now_ms();
        domain::Room room{RoomId{}, domain::RoomKind::direct, "", 0, caller.user, now};
        PARLEY_TRY(created, session.insert_room(room, key));
        PARLEY_CHECK(session.insert_member({created.id, caller.user, Role::member, now, 0, 0}));
        PARLEY_CHECK(session.insert_member({created.id, other.id, Role::member, now, 0, 0}));
        PARLEY_TRY(mine, summary_for(session, created.id, caller.user));
        PARLEY_TRY(theirs, summary_for(session, created.id, other.id));
        out.events.integration(room_created(created, {caller.user, other.id}));
        out.events.joined(caller.user, mine, created.last_seq, caller.connection);
        out.events.joined(other.id, std::move(theirs), created.last_seq);
        out.reply = DirectRoom{std::move(mine), true};
        PARLEY_TRY(loaded, PresenceService::members_presence(session, created.id));
        *presences = std::move(loaded);
        return out;
      },
      [this, caller, presences, done = std::move(done)](Result<DirectRoom> direct) {
        if (direct && direct->created) presence_.introduce(*presences, {caller.user});
        done(std::move(direct));
      });
}

void RoomsService::rename(const Caller& caller, RoomId room, std::string name, Done<RoomSummary> done) {
  if (auto ok = domain::validate_room_name(name); !ok) return done(std::unexpected(ok.error()));
  write<RoomSummary>(
      [caller, room, name = std::move(name)](store::StoreSession& session) -> Result<Committed<RoomSummary>> {
        PARLEY_TRY(access, authorize_room(session, room, caller.user, Action::rename_room));
        PARLEY_CHECK(session.rename_room(room, name));
        PARLEY_TRY(notice, append_system_message(session, room, caller.user, domain::SystemEvent::room_renamed,
                                                 UserId{}, name));
        PARLEY_TRY(mine, summary_for(session, room, caller.user));
        Committed<RoomSummary> out;
        out.events.integration(room_renamed(room, name, caller.user));
        out.events.message(std::move(notice));
        out.events.room_updated(mine.room, mine.member_count);
        out.reply = std::move(mine);
        return out;
      },
      std::move(done));
}

}  // namespace parley::service
