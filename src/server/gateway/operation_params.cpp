#include "server/gateway/operation_params.hpp"

#include <algorithm>
#include <charconv>

#include "protocol/fields.hpp"
#include "protocol/json_codec.hpp"
#include "server/gateway/operation_encoding.hpp"

namespace parley::gateway {

namespace json = boost::json;
using protocol::Fields;

Result<domain::Message> outgoing_message(const json::object& p) {
  Fields f(p);
  domain::Message m;
  PARLEY_TRY(room, f.required_int("room_id"));
  PARLEY_TRY(client_id, f.required_string("client_msg_id"));
  PARLEY_TRY(type_text, f.optional_string("type"));
  PARLEY_TRY(text, f.optional_string("text"));
  PARLEY_TRY(reply_to, f.optional_int("reply_to"));
  PARLEY_TRY(relates_to, f.optional_int("relates_to"));
  auto type = domain::message_type_from(type_text.value_or("text"));
  if (!type)
    return fail(ErrorCode::invalid_payload,
                "type must be one of text, image, file, audio, video, edit, deletion, reaction, reaction_removed");
  m.reply_to = reply_to;
  m.relates_to = relates_to;
  m.room_id = RoomId{room};
  m.client_msg_id = std::move(client_id);
  m.type = *type;
  m.text = text.value_or("");
  if (const auto* att = p.if_contains("attachment"); att && !att->is_null()) {
    PARLEY_TRY(attachment, protocol::attachment_from_json(*att));
    m.attachment = std::move(attachment);
  }
  return m;
}

Result<service::SearchRequest> search_request(const json::object& p) {
  Fields f(p);
  service::SearchRequest request;
  PARLEY_TRY(query, f.required_string("query"));
  PARLEY_TRY(room, f.optional_int("room_id"));
  PARLEY_TRY(limit, f.optional_int("limit"));
  PARLEY_TRY(cursor, f.optional_string("cursor"));
  request.query = std::move(query);
  if (room) request.room = RoomId{*room};
  if (limit) request.limit = *limit;
  request.cursor = std::move(cursor);
  return request;
}

Result<service::SyncRequest> sync_request(const json::object& p) {
  Fields f(p);
  service::SyncRequest request;
  PARLEY_TRY(limit, f.optional_int("limit"));
  request.limit = static_cast<int>(std::clamp<std::int64_t>(limit.value_or(100), -1, 1'000'000));
  const auto* rooms = p.if_contains("rooms");
  if (!rooms || rooms->is_null()) return request;
  if (!rooms->is_array()) return fail(ErrorCode::invalid_payload, "rooms must be an array of {room_id, after_seq}");
  for (const auto& item : rooms->get_array()) {
    if (!item.is_object()) return fail(ErrorCode::invalid_payload, "rooms must be an array of {room_id, after_seq}");
    Fields room(item.get_object(), "rooms[].");
    PARLEY_TRY(id, room.required_int("room_id"));
    PARLEY_TRY(after, room.optional_int("after_seq"));
    request.rooms.push_back({RoomId{id}, after.value_or(0)});
  }
  return request;
}

Result<std::vector<UserId>> user_id_list(const json::object& p) {
  const auto* value = p.if_contains("user_ids");
  std::vector<UserId> ids;
  if (value && value->is_int64()) {
    ids.push_back(UserId{value->get_int64()});
  } else if (value && value->is_string()) {
    std::string_view text = value->get_string();
    while (!text.empty()) {
      const auto comma = text.find(',');
      const auto item = text.substr(0, comma);
      std::int64_t id = 0;
      auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
      if (ec != std::errc{} || end != item.data() + item.size())
        return fail(ErrorCode::invalid_payload, "user_ids must be user ids separated by commas");
      ids.push_back(UserId{id});
      text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
  } else {
    PARLEY_TRY(list, Fields(p).optional_int_list("user_ids"));
    for (auto id : list) ids.push_back(UserId{id});
  }
  if (ids.empty()) return fail(ErrorCode::invalid_payload, "user_ids is required");
  if (ids.size() > kMaxPresenceUsers)
    return fail(ErrorCode::invalid_payload, "at most " + std::to_string(kMaxPresenceUsers) + " user_ids at once");
  return ids;
}

Result<std::vector<GroupMember>> group_members(const json::object& p) {
  std::vector<GroupMember> out;
  const auto* members = p.if_contains("members");
  if (!members || members->is_null()) return out;
  constexpr const char* kShape = "members must be an array of {user_id, role}";
  if (!members->is_array()) return fail(ErrorCode::invalid_payload, kShape);
  for (const auto& item : members->get_array()) {
    if (!item.is_object()) return fail(ErrorCode::invalid_payload, kShape);
    Fields member(item.get_object(), "members[].");
    PARLEY_TRY(user, user_field(member));
    PARLEY_TRY(role, role_field(member, false));
    out.push_back({user, role});
  }
  return out;
}

}  // namespace parley::gateway
