// Client::search: messages.search on the server (docs/protocol.md, "Search"), its answer read
// into typed results. Nothing is searched in the local database: it may hold only part of a
// room's history.
#include <parley/client.hpp>

#include "client/client_impl.hpp"
#include "client/reply_fields.hpp"
#include "core/error.hpp"

namespace json = boost::json;

namespace parley {
namespace {

Result<SearchHighlight> highlight_of(const json::value& v) {
  const auto* pair = v.if_array();
  if (!pair || pair->size() != 2) return std::unexpected(client::malformed_reply("highlights: [start, length]"));
  PARLEY_TRY(start, client::int_in((*pair)[0]));
  PARLEY_TRY(length, client::int_in((*pair)[1]));
  if (start < 0 || length < 0) return std::unexpected(client::malformed_reply("highlights: [start, length]"));
  return SearchHighlight{static_cast<std::size_t>(start), static_cast<std::size_t>(length)};
}

Result<SearchResult> result_of(const json::value& v) {
  SearchResult r;
  PARLEY_TRY(room, client::int_field(v, "room_id"));
  PARLEY_TRY(seq, client::int_field(v, "seq"));
  PARLEY_TRY(sender, client::int_field(v, "sender_id"));
  PARLEY_TRY(type, client::string_field(v, "type"));
  PARLEY_TRY(created_at, client::int_field(v, "created_at"));
  PARLEY_TRY(snippet, client::string_field(v, "snippet"));
  PARLEY_TRY(highlights, client::array_field(v, "highlights"));
  r.room_id = RoomId{room};
  r.seq = seq;
  r.sender_id = UserId{sender};
  r.type = std::move(type);
  r.created_at = created_at;
  r.snippet = std::move(snippet);
  for (const auto& h : *highlights) {
    PARLEY_TRY(highlight, highlight_of(h));
    r.highlights.push_back(highlight);
  }
  return r;
}

}  // namespace

Result<SearchResults> Client::search(const std::string& query, const SearchOptions& options) {
  json::object params{{"query", query}, {"limit", static_cast<std::int64_t>(options.limit)}};
  if (options.room) params["room_id"] = options.room->value;
  if (!options.cursor.empty()) params["cursor"] = options.cursor;
  PARLEY_TRY(answer, impl_->call("messages.search", std::move(params)));
  PARLEY_TRY(list, client::array_field(answer, "results"));
  SearchResults out;
  for (const auto& item : *list) {
    PARLEY_TRY(result, result_of(item));
    out.results.push_back(std::move(result));
  }
  if (const auto* object = answer.if_object())
    if (const auto* next = object->if_contains("next_cursor"); next && next->is_string())
      out.next_cursor = std::string(next->get_string());
  return out;
}

}  // namespace parley
