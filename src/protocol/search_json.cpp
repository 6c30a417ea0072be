#include "protocol/search_json.hpp"

#include "protocol/json_codec.hpp"

namespace parley::protocol {

namespace json = boost::json;

namespace {

Error malformed_result(std::string_view what) {
  return Error{ErrorCode::invalid_payload, "a search result " + std::string(what)};
}

// [start, length] in code points; anything else is left out rather than shown at random.
std::optional<SearchHighlight> highlight_from_wire(const json::value& value) {
  const auto* pair = value.if_array();
  if (!pair || pair->size() != 2 || !(*pair)[0].is_int64() || !(*pair)[1].is_int64()) return std::nullopt;
  const std::int64_t start = (*pair)[0].get_int64();
  const std::int64_t length = (*pair)[1].get_int64();
  if (start < 0 || length < 0) return std::nullopt;
  return SearchHighlight{static_cast<std::size_t>(start), static_cast<std::size_t>(length)};
}

}  // namespace

json::object to_json(const SearchResult& r) {
  json::array highlights;
  for (const auto& h : r.highlights)
    highlights.push_back(json::array{static_cast<std::int64_t>(h.start), static_cast<std::int64_t>(h.length)});
  json::object out{{"room_id", r.room_id.value},  {"seq", r.seq},         {"sender_id", r.sender_id.value},
                   {"type", r.type},              {"created_at", r.created_at}, {"snippet", r.snippet},
                   {"highlights", std::move(highlights)}};
  if (r.edited_at) out["edited_at"] = *r.edited_at;
  return out;
}

json::object search_results_json(const std::vector<SearchResult>& results, const std::string& next_cursor) {
  json::array list;
  for (const auto& r : results) list.push_back(to_json(r));
  json::object out{{"results", std::move(list)}};
  if (!next_cursor.empty()) out["next_cursor"] = next_cursor;
  return out;
}

Result<SearchResult> search_result_from_wire(const json::value& value) {
  const auto* o = value.if_object();
  if (!o) return std::unexpected(malformed_result("is not an object"));
  SearchResult r;
  const auto room = lenient_int(*o, "room_id");
  const auto seq = lenient_int(*o, "seq");
  const auto* snippet = o->if_contains("snippet");
  if (!room || *room <= 0) return std::unexpected(malformed_result("has no room_id"));
  if (!seq || *seq <= 0) return std::unexpected(malformed_result("has no seq"));
  if (!snippet || !snippet->is_string()) return std::unexpected(malformed_result("has no snippet"));
  r.room_id = RoomId{*room};
  r.seq = *seq;
  r.sender_id = UserId{lenient_int(*o, "sender_id").value_or(0)};
  r.type = lenient_string(*o, "type");
  r.created_at = lenient_int(*o, "created_at").value_or(0);
  r.edited_at = lenient_int(*o, "edited_at");
  r.snippet = std::string(snippet->get_string());
  if (const auto* highlights = o->if_contains("highlights"); highlights && highlights->is_array())
    for (const auto& h : highlights->get_array())
      if (auto highlight = highlight_from_wire(h)) r.highlights.push_back(*highlight);
  return r;
}

}  // namespace parley::protocol
