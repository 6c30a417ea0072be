// Client::search: messages.search on the server (docs/protocol.md, "Search"), its answer read
// into typed results. Nothing is searched in the local database: it may hold only part of a
// room's history.
#include <parley/client.hpp>

#include "client/client_impl.hpp"
#include "client/reply_fields.hpp"
#include "core/error.hpp"
#include "protocol/search_json.hpp"

namespace json = boost::json;

namespace parley {

Result<SearchResults> Client::search(const std::string& query, const SearchOptions& options) {
  json::object params{{"query", query}, {"limit", static_cast<std::int64_t>(options.limit)}};
  if (options.room) params["room_id"] = options.room->value;
  if (!options.cursor.empty()) params["cursor"] = options.cursor;
  PARLEY_TRY(answer, impl_->call("messages.search", std::move(params)));
  PARLEY_TRY(list, client::array_field(answer, "results"));
  SearchResults out;
  for (const auto& item : *list) {
    auto result = protocol::search_result_from_wire(item);
    if (!result) return std::unexpected(client::malformed_reply(result.error().message));
    out.results.push_back(std::move(*result));
  }
  if (const auto* object = answer.if_object())
    if (const auto* next = object->if_contains("next_cursor"); next && next->is_string())
      out.next_cursor = std::string(next->get_string());
  return out;
}

}  // namespace parley
