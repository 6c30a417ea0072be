#include "domain/policy.hpp"

namespace parley::domain {
namespace {

bool any_member_may(Action action) {
  return action == Action::read_room || action == Action::send_message || action == Action::list_members ||
         action == Action::leave_room;
}

}  // namespace

Result<void> authorize(Action action, const Room& room, const std::optional<Member>& actor) {
  if (!actor) return fail(ErrorCode::not_found, "room not found");
  if (room.kind == RoomKind::direct) {
    if (action == Action::read_room || action == Action::send_message || action == Action::list_members)
      return {};
    return fail(ErrorCode::forbidden, "a direct room always has exactly its two members and no settings");
  }
  if (any_member_may(action)) return {};
  if (actor->role == Role::admin) return {};
  return fail(ErrorCode::forbidden, "only an admin of this group may do that");
}

Result<void> check_demotion(const Member& target, Role new_role, std::int64_t admin_count) {
  if (target.role == Role::admin && new_role != Role::admin && admin_count <= 1)
    return fail(ErrorCode::last_admin, "a group needs at least one admin: promote another member first");
  return {};
}

}  // namespace parley::domain
