#include "server/service/room_access.hpp"

#include "core/clock.hpp"

namespace parley::service {
namespace {

std::string name_of(store::StoreSession& session, UserId id) {
  auto user = session.find_user(id);
  if (user && *user) return (*user)->display_name;
  return "someone";
}

}  // namespace

Result<RoomAccess> authorize_room(store::StoreSession& session, RoomId room_id, UserId caller,
                                  domain::Action action) {
  PARLEY_TRY(found, session.find_room_with_member(room_id, caller));
  if (!found) return fail(ErrorCode::not_found, "room not found");
  PARLEY_CHECK(domain::authorize(action, found->room, found->member));
  return RoomAccess{std::move(found->room), std::move(*found->member)};
}

Result<domain::Message> append_system_message(store::StoreSession& session, RoomId room, UserId actor,
                                              domain::SystemEvent event, UserId target, const std::string& detail) {
  using domain::SystemEvent;
  const std::string who = name_of(session, actor);
  std::string text;
  switch (event) {
    case SystemEvent::room_created: text = who + " created the group \"" + detail + "\""; break;
    case SystemEvent::member_added: text = who + " added " + name_of(session, target); break;
    case SystemEvent::member_removed: text = who + " removed " + name_of(session, target); break;
    case SystemEvent::member_left: text = who + " left"; break;
    case SystemEvent::role_changed: text = name_of(session, target) + " is now " + detail; break;
    case SystemEvent::room_renamed: text = who + " renamed the group to \"" + detail + "\""; break;
  }
  domain::Message message;
  message.room_id = room;
  message.sender_id = actor;
  message.type = domain::MessageType::system;
  message.text = std::move(text);
  message.system = domain::SystemInfo{event, target};
  message.created_at_ms = now_ms();
  return session.append_message(message);
}

}  // namespace parley::service
