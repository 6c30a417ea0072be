#include "server/service/integration_events.hpp"

#include "core/clock.hpp"
#include "protocol/json_codec.hpp"

namespace parley::service {

std::string_view message_event_type(const domain::Message& message) {
  switch (message.type) {
    case domain::MessageType::edit: return "message.edited";
    case domain::MessageType::deletion: return "message.deleted";
    case domain::MessageType::reaction: return "reaction.added";
    case domain::MessageType::reaction_removed: return "reaction.removed";
    default: return "message.created";
  }
}

IntegrationEvent message_created(const domain::Message& message) {
  return IntegrationEvent{.type = std::string(message_event_type(message)),
                          .room = message.room_id,
                          .data = {{"message", protocol::to_json(message)}},
                          .at_ms = message.created_at_ms};
}

IntegrationEvent room_created(const domain::Room& room, const std::vector<UserId>& members) {
  boost::json::array ids;
  for (UserId member : members) ids.push_back(member.value);
  return IntegrationEvent{
      .type = "room.created",
      .room = room.id,
      .data = {{"room", protocol::room_fields(room, static_cast<std::int64_t>(members.size()))}, {"members", std::move(ids)}},
      .at_ms = room.created_at_ms};
}

IntegrationEvent room_renamed(RoomId room, const std::string& name, UserId actor) {
  return IntegrationEvent{.type = "room.renamed",
                          .room = room,
                          .data = {{"room_id", room.value}, {"name", name}, {"actor_id", actor.value}},
                          .at_ms = now_ms()};
}

IntegrationEvent member_event(std::string_view type, RoomId room, UserId user, domain::Role role, UserId actor) {
  return IntegrationEvent{.type = std::string(type),
                          .room = room,
                          .data = {{"room_id", room.value},
                                   {"user_id", user.value},
                                   {"role", domain::to_string(role)},
                                   {"actor_id", actor.value}},
                          .at_ms = now_ms()};
}

IntegrationEvent member_removed(RoomId room, UserId user, std::string_view reason, UserId actor) {
  return IntegrationEvent{
      .type = "member.removed",
      .room = room,
      .data = {{"room_id", room.value}, {"user_id", user.value}, {"reason", reason}, {"actor_id", actor.value}},
      .at_ms = now_ms()};
}

IntegrationEvent user_created(const domain::User& user, const std::string& external_id) {
  IntegrationEvent event{
      .type = "user.created", .room = std::nullopt, .data = {{"user", protocol::to_json(user)}}, .at_ms = user.created_at_ms};
  if (!external_id.empty()) event.data["external_id"] = external_id;
  return event;
}

}  // namespace parley::service
