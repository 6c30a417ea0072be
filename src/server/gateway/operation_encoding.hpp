#pragma once
// What the user operations (operations.cpp) and the server API's (server_operations.cpp) share:
// reading the common fields, adapting a service's completion to a reply, and the answers both
// give in the same shape.
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "domain/room.hpp"
#include "protocol/fields.hpp"
#include "server/gateway/operations.hpp"
#include "server/service/members_service.hpp"
#include "server/service/messages_service.hpp"

namespace parley::gateway {

// Adapts a service's completion to a JSON reply.
template <class T, class Encode>
service::Done<T> answer(Reply reply, Encode encode) {
  return [reply = std::move(reply), encode](Result<T> result) {
    if (!result) return reply(std::unexpected(result.error()));
    reply(boost::json::value(encode(*result)));
  };
}

template <class T>
service::Done<T> answer_empty(Reply reply) {
  return answer<T>(std::move(reply), [](const T&) { return boost::json::object{}; });
}

// Each handler reads its fields, reporting the first bad one, then calls one service.
#define PARLEY_FIELD(name, expr) \
  auto name = (expr);            \
  if (!name) return reply(std::unexpected(name.error()))

// `role`: "admin" or "member"; when not required and absent, member.
[[nodiscard]] Result<domain::Role> role_field(const protocol::Fields& f, bool required);
[[nodiscard]] Result<RoomId> room_field(const protocol::Fields& f);
// The user id in the field `name`.
[[nodiscard]] Result<UserId> user_field(const protocol::Fields& f, std::string_view name = "user_id");

[[nodiscard]] boost::json::object member_view(const service::MemberView& v);
[[nodiscard]] boost::json::object send_result(const service::SendResult& r);
[[nodiscard]] boost::json::object history_page(const service::HistoryPage& page);
// messages.search's answer: {"results": [...], "next_cursor"?} (docs/protocol.md).
[[nodiscard]] boost::json::object search_page(const service::SearchPage& page);

}  // namespace parley::gateway
