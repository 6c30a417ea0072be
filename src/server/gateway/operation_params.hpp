#pragma once
// The parameters of the operations that read more than a field or two, as pure functions of a
// request's fields: read here without a service behind them, so they can be checked alone.
#include <boost/json/object.hpp>

#include <cstddef>
#include <vector>

#include "core/error.hpp"
#include "domain/message.hpp"
#include "domain/room.hpp"
#include "server/service/messages_service.hpp"
#include "server/service/sync_service.hpp"

namespace parley::gateway {

// messages.send: the message as its sender gave it, not yet validated.
[[nodiscard]] Result<domain::Message> outgoing_message(const boost::json::object& params);

// messages.search: `query` (required), `room_id`, `limit` and `cursor`; checked by the service.
[[nodiscard]] Result<service::SearchRequest> search_request(const boost::json::object& params);

// sync: the rooms the client holds, each with the last seq it has, and the page size.
[[nodiscard]] Result<service::SyncRequest> sync_request(const boost::json::object& params);

// server.presence: "user_ids" as "1,2,3" from a query string, or [1, 2, 3] (or one id) from a
// body; 1 to kMaxPresenceUsers of them (one look-up each).
inline constexpr std::size_t kMaxPresenceUsers = 100;
[[nodiscard]] Result<std::vector<UserId>> user_id_list(const boost::json::object& params);

// server.rooms.create: "members", [{"user_id", "role"}, ...]; absent or null is none, and a
// member's role is `member` when absent.
struct GroupMember {
  UserId user;
  domain::Role role;
};
[[nodiscard]] Result<std::vector<GroupMember>> group_members(const boost::json::object& params);

}  // namespace parley::gateway
