#include "domain/shared_watermarks.hpp"

namespace parley::domain {

Member as_others_see(Member member) {
  member.read_seq = member.shared_read_seq;
  return member;
}

std::vector<Member> as_seen_by(std::vector<Member> members, UserId viewer) {
  for (auto& m : members)
    if (m.user_id != viewer) m = as_others_see(std::move(m));
  return members;
}

}  // namespace parley::domain
