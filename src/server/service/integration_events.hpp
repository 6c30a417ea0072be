#pragma once
// The events for the app's backend, built from what a change committed (docs/integration.md,
// "Events"): the data in the wire protocol's shapes, so a backend reads one schema.
#include <optional>
#include <string_view>
#include <vector>

#include "domain/message.hpp"
#include "domain/room.hpp"
#include "domain/user.hpp"
#include "server/service/integration_event.hpp"

namespace parley::service {

// message.created, for every message, system messages included: {"message": ...}.
[[nodiscard]] std::string_view message_event_type(const domain::Message& message);
// message.created, or for an edit, deletion or reaction: message.edited, message.deleted,
// reaction.added or reaction.removed, with the event as its message.
[[nodiscard]] IntegrationEvent message_created(const domain::Message& message);
// room.created: {"room": ..., "members": [user ids]}.
[[nodiscard]] IntegrationEvent room_created(const domain::Room& room, const std::vector<UserId>& members);
// room.renamed: {"room_id", "name", "actor_id"}.
[[nodiscard]] IntegrationEvent room_renamed(RoomId room, const std::string& name, UserId actor);
// member.added and member.role_changed: {"room_id", "user_id", "role", "actor_id"}.
[[nodiscard]] IntegrationEvent member_event(std::string_view type, RoomId room, UserId user, domain::Role role,
                                            UserId actor);
// member.removed: {"room_id", "user_id", "reason" ("removed" or "left"), "actor_id"}.
[[nodiscard]] IntegrationEvent member_removed(RoomId room, UserId user, std::string_view reason, UserId actor);
// user.created: {"user": ...}, and "external_id" for a user of the app's identity provider.
[[nodiscard]] IntegrationEvent user_created(const domain::User& user, const std::string& external_id = {});

}  // namespace parley::service
