#pragma once
// The authorization policy: the one place that decides who may do what in a room. Every
// service operation on a room asks it before touching anything.
#include <cstdint>
#include <optional>

#include "core/error.hpp"
#include "domain/room.hpp"

namespace parley::domain {

enum class Action {
  read_room,      // see the room, its history and its state
  send_message,
  list_members,
  leave_room,
  rename_room,
  add_member,
  remove_member,  // remove someone else; removing oneself is leave_room
  change_role,
};

// `actor` is the caller's membership in `room`, or nullopt when the caller is not a member.
// A non-member always gets not_found, so that it cannot tell a room exists.
[[nodiscard]] Result<void> authorize(Action action, const Room& room, const std::optional<Member>& actor);

// A group must keep an admin while it has members: refuses to demote the last one.
[[nodiscard]] Result<void> check_demotion(const Member& target, Role new_role, std::int64_t admin_count);

}  // namespace parley::domain
