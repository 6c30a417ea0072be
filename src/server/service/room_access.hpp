#pragma once
// Steps shared by every operation on a room: ask the policy, and write system messages.
#include <string>

#include "domain/policy.hpp"
#include "store/store.hpp"

namespace parley::service {

struct RoomAccess {
  domain::Room room;
  domain::Member me;
};

// Loads the room and the caller's membership and asks the policy whether `action` is allowed.
// A room that does not exist and a room the caller is not in give the same not_found.
[[nodiscard]] Result<RoomAccess> authorize_room(store::StoreSession& session, RoomId room, UserId caller,
                                                domain::Action action);

// Appends a system message recording `event`, with a summary in English for simple clients.
[[nodiscard]] Result<domain::Message> append_system_message(store::StoreSession& session, RoomId room,
                                                            UserId actor, domain::SystemEvent event,
                                                            UserId target = UserId{},
                                                            const std::string& detail = "");

}  // namespace parley::service
