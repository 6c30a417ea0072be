#include "server/service/members_service.hpp"

#include <unordered_map>

#include "core/clock.hpp"
#include "server/service/integration_events.hpp"
#include "server/service/publish_then_reply.hpp"
#include "server/service/room_access.hpp"

namespace parley::service {

using domain::Action;
using domain::Role;
using domain::SystemEvent;

namespace {

Result<MemberView> view_of(store::StoreSession& session, const domain::Member& member) {
  PARLEY_TRY(profile, session.find_user(member.user_id));
  return MemberView{member, std::move(profile)};
}

Result<domain::Member> require_member(store::StoreSession& session, RoomId room, UserId user) {
  PARLEY_TRY(member, session.find_member(room, user));
  if (!member) return fail(ErrorCode::not_found, "that user is not a member of this room");
  return std::move(*member);
}

// Records a membership loss: the system message reaches the room while the user is still
// subscribed, then the user's devices are told and unsubscribed.
void record_departure(Committed<std::monostate>& out, domain::Message notice, UserId user, RoomId room,
                      std::string reason) {
  out.events.message(std::move(notice));
  out.events.left(user, room, std::move(reason));
}

}  // namespace

void MembersService::list(const Caller& caller, RoomId room, Done<std::vector<MemberView>> done) {
  reads_.submit<std::vector<MemberView>>(
      [caller, room](store::StoreSession& session) -> Result<std::vector<MemberView>> {
        PARLEY_CHECK(authorize_room(session, room, caller.user, Action::list_members));
        PARLEY_TRY(members, session.list_members(room));
        std::vector<UserId> ids;
        for (const auto& m : members) ids.push_back(m.user_id);
        PARLEY_TRY(users, session.find_users(ids));
        std::unordered_map<UserId, domain::User> by_id;
        for (auto& u : users) by_id.emplace(u.id, std::move(u));
        std::vector<MemberView> out;
        for (auto& m : members) {
          auto it = by_id.find(m.user_id);
          out.push_back({m, it == by_id.end() ? std::nullopt : std::optional(it->second)});
        }
        return out;
      },
      std::move(done));
}

void MembersService::add(const Caller& caller, RoomId room, UserId user, Role role, Done<MemberView> done) {
  // Filled by the write, read by its completion: both run on the writer thread, in turn.
  auto presences = std::make_shared<std::vector<domain::StoredPresence>>();
  submit_change<MemberView>(
      writes_, events_,
      [caller, room, user, role, presences](store::StoreSession& session) -> Result<Committed<MemberView>> {
        PARLEY_CHECK(authorize_room(session, room, caller.user, Action::add_member));
        PARLEY_TRY(target, session.find_user(user));
        if (!target) return fail(ErrorCode::not_found, "no such user");
        PARLEY_TRY(existing, session.find_member(room, user));
        if (existing) return fail(ErrorCode::conflict, "that user is already a member");
        domain::Member member{room, user, role, now_ms(), 0, 0};
        PARLEY_CHECK(session.insert_member(member));
        PARLEY_TRY(notice, append_system_message(session, room, caller.user, SystemEvent::member_added, user));
        PARLEY_TRY(summary, session.find_room_summary(room, user));
        PARLEY_TRY(stored, require_member(session, room, user));
        Committed<MemberView> out;
        out.events.integration(member_event("member.added", room, user, role, caller.user));
        if (summary) out.events.joined(user, std::move(*summary), notice.seq - 1);
        out.events.message(std::move(notice));
        out.reply = MemberView{std::move(stored), std::move(target)};
        PARLEY_TRY(loaded, PresenceService::members_presence(session, room));
        *presences = std::move(loaded);
        return out;
      },
      [this, user, presences, done = std::move(done)](Result<MemberView> added) {
        if (added) presence_.introduce(*presences, {user});
        done(std::move(added));
      });
}

void MembersService::remove(const Caller& caller, RoomId room, UserId user, Done<std::monostate> done) {
  if (user == caller.user) return leave(caller, room, std::move(done));
  submit_change<std::monostate>(
      writes_, events_,
      [caller, room, user](store::StoreSession& session) -> Result<Committed<std::monostate>> {
        PARLEY_CHECK(authorize_room(session, room, caller.user, Action::remove_member));
        PARLEY_CHECK(require_member(session, room, user));
        PARLEY_CHECK(session.delete_member(room, user));
        PARLEY_TRY(notice, append_system_message(session, room, caller.user, SystemEvent::member_removed, user));
        Committed<std::monostate> out;
        out.events.integration(member_removed(room, user, "removed", caller.user));
        record_departure(out, std::move(notice), user, room, "removed");
        return out;
      },
      std::move(done));
}

void MembersService::set_role(const Caller& caller, RoomId room, UserId user, Role role, Done<MemberView> done) {
  submit_change<MemberView>(
      writes_, events_,
      [caller, room, user, role](store::StoreSession& session) -> Result<Committed<MemberView>> {
        PARLEY_CHECK(authorize_room(session, room, caller.user, Action::change_role));
        PARLEY_TRY(target, require_member(session, room, user));
        Committed<MemberView> out;
        if (target.role != role) {
          PARLEY_TRY(admins, session.count_admins(room));
          PARLEY_CHECK(domain::check_demotion(target, role, admins));
          PARLEY_CHECK(session.update_member_role(room, user, role));
          PARLEY_TRY(notice, append_system_message(session, room, caller.user, SystemEvent::role_changed, user,
                                                   std::string(domain::to_string(role))));
          out.events.integration(member_event("member.role_changed", room, user, role, caller.user));
          out.events.message(std::move(notice));
          target.role = role;
        }
        PARLEY_TRY(view, view_of(session, target));
        out.reply = std::move(view);
        return out;
      },
      std::move(done));
}

void MembersService::leave(const Caller& caller, RoomId room, Done<std::monostate> done) {
  submit_change<std::monostate>(
      writes_, events_,
      [caller, room](store::StoreSession& session) -> Result<Committed<std::monostate>> {
        PARLEY_TRY(access, authorize_room(session, room, caller.user, Action::leave_room));
        Committed<std::monostate> out;
        if (access.me.role == Role::admin) {
          PARLEY_TRY(admins, session.count_admins(room));
          if (admins <= 1) {
            PARLEY_TRY(members, session.list_members(room));
            for (const auto& m : members) {
              if (m.user_id == caller.user) continue;
              PARLEY_CHECK(session.update_member_role(room, m.user_id, Role::admin));
              PARLEY_TRY(promoted, append_system_message(session, room, caller.user, SystemEvent::role_changed,
                                                         m.user_id, "admin"));
              out.events.integration(member_event("member.role_changed", room, m.user_id, Role::admin, caller.user));
              out.events.message(std::move(promoted));
              break;  // members come longest-standing first
            }
          }
        }
        PARLEY_CHECK(session.delete_member(room, caller.user));
        PARLEY_TRY(notice, append_system_message(session, room, caller.user, SystemEvent::member_left, caller.user));
        out.events.integration(member_removed(room, caller.user, "left", caller.user));
        record_departure(out, std::move(notice), caller.user, room, "left");
        return out;
      },
      std::move(done));
}

}  // namespace parley::service
