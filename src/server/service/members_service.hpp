#pragma once
// Group membership: list, add, remove, change roles, leave. A group with members always keeps
// an admin.
#include <optional>
#include <variant>
#include <vector>

#include "domain/room.hpp"
#include "domain/user.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/presence_service.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct MemberView {
  domain::Member member;
  std::optional<domain::User> profile;
};

class MembersService {
 public:
  MembersService(WriteQueue& writes, ReadPool& reads, EventPublisher& events, PresenceService& presence)
      : writes_(writes), reads_(reads), events_(events), presence_(presence) {}

  void list(const Caller& caller, RoomId room, Done<std::vector<MemberView>> done);
  void add(const Caller& caller, RoomId room, UserId user, domain::Role role, Done<MemberView> done);
  // Removing oneself is leaving.
  void remove(const Caller& caller, RoomId room, UserId user, Done<std::monostate> done);
  void set_role(const Caller& caller, RoomId room, UserId user, domain::Role role, Done<MemberView> done);
  // When the last admin leaves, the longest-standing remaining member becomes admin.
  void leave(const Caller& caller, RoomId room, Done<std::monostate> done);

 private:
  WriteQueue& writes_;
  ReadPool& reads_;
  EventPublisher& events_;
  PresenceService& presence_;
};

}  // namespace parley::service
