#pragma once
// What a member's watermarks show to the other members of the room: delivery as it is, and the
// read position only as far as the member shared it (Member::shared_read_seq). Everything that
// shows one member's watermarks to another goes through here: receipt events, message status,
// "read by", and sync.
#include <vector>

#include "domain/room.hpp"

namespace parley::domain {

// The member as every other member sees them.
[[nodiscard]] Member as_others_see(Member member);
// The members as `viewer` sees them: the viewer's own watermarks in full, the others' as the
// others shared them.
[[nodiscard]] std::vector<Member> as_seen_by(std::vector<Member> members, UserId viewer);

}  // namespace parley::domain
