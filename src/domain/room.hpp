#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"

namespace parley::domain {

enum class RoomKind { direct, group };
enum class Role { admin, member };

[[nodiscard]] std::string_view to_string(RoomKind kind);
[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<RoomKind> room_kind_from(std::string_view text);
[[nodiscard]] std::optional<Role> role_from(std::string_view text);

struct Room {
  RoomId id;
  RoomKind kind = RoomKind::group;
  std::string name;     // empty for direct rooms: clients show the other member's name
  Seq last_seq = 0;     // seq of the newest message; the next message gets last_seq + 1
  UserId created_by;
  TimestampMs created_at_ms = 0;
};

// Where a room's sequence stands: the seq of its newest message.
struct RoomHead {
  RoomId room;
  Seq last_seq = 0;
  bool operator==(const RoomHead&) const = default;
};

// A direct room is found again by the unordered pair of its members: "small:large" user ids.
[[nodiscard]] std::string direct_room_key(UserId a, UserId b);

struct Member {
  RoomId room_id;
  UserId user_id;
  Role role = Role::member;
  TimestampMs joined_at_ms = 0;
  Seq delivered_seq = 0;  // watermark: this member's devices have received up to here
  Seq read_seq = 0;       // watermark: this member has read up to here (read implies delivered)
  // How far the other members are shown this member has read: read_seq as it stood at the
  // member's last receipt while their read receipts went to everyone (UserSettings). Never
  // above read_seq; kept apart so that going private hides later reads without taking back
  // what the others were already shown.
  Seq shared_read_seq = 0;
  bool muted = false;  // the member wants no push for this room (docs/push.md)
};

// A room and one user's membership of it (empty when the user is not in it): what deciding
// whether that user may act on the room needs.
struct RoomWithMember {
  Room room;
  std::optional<Member> member;
};

}  // namespace parley::domain
