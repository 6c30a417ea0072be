#include "server/gateway/operation_encoding.hpp"

#include "protocol/json_codec.hpp"
#include "protocol/search_json.hpp"

namespace parley::gateway {

namespace json = boost::json;
using protocol::Fields;

Result<domain::Role> role_field(const Fields& f, bool required) {
  PARLEY_TRY(text, f.optional_string("role"));
  if (!text) {
    if (required) return fail(ErrorCode::invalid_payload, "role is required");
    return domain::Role::member;
  }
  auto role = domain::role_from(*text);
  if (!role) return fail(ErrorCode::invalid_payload, "role must be \"admin\" or \"member\"");
  return *role;
}

Result<RoomId> room_field(const Fields& f) {
  PARLEY_TRY(id, f.required_int("room_id"));
  return RoomId{id};
}

Result<UserId> user_field(const Fields& f, std::string_view name) {
  PARLEY_TRY(id, f.required_int(name));
  return UserId{id};
}

json::object member_view(const service::MemberView& v) {
  json::object out = protocol::to_json(v.member, v.profile ? &*v.profile : nullptr);
  out["room_id"] = v.member.room_id.value;
  return out;
}

json::object send_result(const service::SendResult& r) {
  json::object out{{"message", protocol::to_json(r.message)}, {"duplicate", r.duplicate}};
  if (r.unchanged) out["unchanged"] = true;
  return out;
}

json::object history_page(const service::HistoryPage& page) {
  json::array list;
  for (std::size_t i = 0; i < page.messages.size(); ++i) {
    const auto& status = page.statuses[i];
    list.push_back(protocol::to_json(page.messages[i], status ? &*status : nullptr));
  }
  return json::object{{"messages", std::move(list)},
                      {"has_more", page.has_more},
                      {"next_before", page.next_before},
                      {"last_seq", page.last_seq}};
}

json::object search_page(const service::SearchPage& page) {
  std::vector<SearchResult> results;
  results.reserve(page.results.size());
  for (const auto& r : page.results) {
    results.push_back(SearchResult{.room_id = r.message.room_id,
                                   .seq = r.message.seq,
                                   .sender_id = r.message.sender_id,
                                   .type = std::string(domain::to_string(r.message.type)),
                                   .created_at = r.message.created_at_ms,
                                   .edited_at = r.message.edited_at_ms,
                                   .snippet = r.snippet.text,
                                   .highlights = r.snippet.highlights});
  }
  return protocol::search_results_json(results, page.next_cursor.value_or(""));
}

}  // namespace parley::gateway
