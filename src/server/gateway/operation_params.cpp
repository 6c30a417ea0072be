#include "server/gateway/operation_params.hpp"

#include <algorithm>

#include "protocol/fields.hpp"
#include "protocol/json_codec.hpp"

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
  auto type = domain::message_type_from(type_text.value_or("text"));
  if (!type) return fail(ErrorCode::invalid_payload, "type must be one of text, image, file, audio, video");
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

}  // namespace parley::gateway
