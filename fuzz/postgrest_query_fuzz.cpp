// Feeds a Supabase REST request (server/gateway/supabase/): a query string, a Range header, a
// Range-Unit header, a Prefer header and an insert's body, one a line. Beyond "no crash", it
// checks that:
//  - a messages query that reads names one room, a window whose bounds leave seq >= 0, a limit
//    within kMaxRows and an offset within kMaxOffset, and a count that is never negative;
//  - the rooms a rooms query selects are no more than its limit, and no more than it matched;
//  - Content-Range is "first-last/total" or "*/total";
//  - every message an insert would send has a room and a client_msg_id, and there are at most
//    kMaxInsertRows of them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "server/gateway/supabase/message_insert.hpp"
#include "server/gateway/supabase/postgrest_query.hpp"
#include "server/gateway/supabase/room_rows.hpp"

namespace {

namespace json = boost::json;
using namespace parley::gateway::supabase;
using parley::fuzz::require;

void check_messages(std::string_view query, std::string_view range, std::string_view unit) {
  auto read = parse_read_query(query, messages_table());
  if (!read) return;
  if (!apply_range(*read, range, unit)) return;
  auto window = message_window(*read);
  if (!window) return;
  require(window->after >= 0, "the window starts at seq 0 or later");
  require(window->limit >= 0 && window->limit <= kMaxRows, "the limit is within kMaxRows");
  require(window->offset >= 0 && window->offset <= kMaxOffset, "the offset is within kMaxOffset");
  require(messages_in_window(*window, 1000) >= 0, "a count is never negative");
  const std::string header = content_range(window->offset, static_cast<std::size_t>(window->limit), 7);
  require(header.ends_with("/7") && (header.starts_with("*") || header.find('-') != std::string::npos),
          "Content-Range is first-last/total or */total");
}

void check_rooms(std::string_view query, std::string_view range, std::string_view unit) {
  auto read = parse_read_query(query, rooms_table());
  if (!read) return;
  if (!apply_range(*read, range, unit)) return;
  std::vector<json::object> rows;
  for (std::int64_t id = 1; id <= 3; ++id)
    rows.push_back(room_row(json::object{{"id", id}, {"kind", id == 1 ? "direct" : "group"}, {"name", "r"},
                                         {"created_by", 1}, {"created_at", id * 1000}, {"last_seq", 4 - id},
                                         {"member_count", 2}, {"unread_count", 0}}));
  auto selected = select_rooms(rows, *read);
  if (!selected) return;
  const auto count = static_cast<std::int64_t>(selected->rows.size());
  require(count <= selected->matched && selected->matched <= 3, "no more rooms than matched");
  require(count <= read->limit.value_or(kMaxRows), "no more rooms than the limit");
}

void check_insert(std::string_view body) {
  auto sends = insert_params(body, parley::UserId{1});
  if (!sends) return;
  require(sends->size() <= kMaxInsertRows, "at most kMaxInsertRows rows");
  for (const auto& send : *sends)
    require(send.contains("room_id") && send.contains("client_msg_id") && !send.contains("sender_id"),
            "a send has a room and a client_msg_id, and the caller as its sender");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [query, rest] = parley::fuzz::split_at(parley::fuzz::as_text(data, size), '\n');
  const auto [range, after_range] = parley::fuzz::split_at(rest, '\n');
  const auto [unit, after_unit] = parley::fuzz::split_at(after_range, '\n');
  const auto [prefer, body] = parley::fuzz::split_at(after_unit, '\n');
  check_messages(query, range, unit);
  check_rooms(query, range, unit);
  (void)parse_write_query(query, messages_table());
  (void)parse_prefer(prefer);
  check_insert(body);
  return 0;
}
