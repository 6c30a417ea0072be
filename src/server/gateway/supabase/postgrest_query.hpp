#pragma once
// Reading a PostgREST request: the query string (select, filters, order, limit, offset), the
// Range and Prefer headers. Pure: no I/O, so every rule here has a unit test
// (tests/unit/postgrest_query_test.cpp). What each table makes of the parsed query is decided
// by the route (rest_api.cpp, message_window below); this file knows only the syntax and the
// table's column names.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/gateway/supabase/postgrest_error.hpp"

namespace parley::gateway::supabase {

// The most rows one GET answers, as PostgREST's db-max-rows: a larger limit is cut to it, and
// so is a request with no limit. It bounds the pages read for one request (ten history pages).
inline constexpr std::int64_t kMaxRows = 1000;
// How far `offset` (or a Range's first item) may reach: each skipped row is read and dropped.
inline constexpr std::int64_t kMaxOffset = 10000;

struct TableShape {
  std::string_view name;
  std::span<const std::string_view> columns;  // in table order
};

struct Filter {
  std::string column;
  std::string op;     // eq, lt, lte, gt, gte
  std::string value;  // as written after "op."
};

struct Order {
  std::string column;
  bool descending = false;
};

struct ReadQuery {
  std::vector<std::string> columns;  // select; empty: every column (select=* or none)
  std::vector<Filter> filters;
  std::optional<Order> order;
  std::optional<std::int64_t> limit;
  std::int64_t offset = 0;
};

// `query` is the encoded part after '?' (may be empty). Unknown parameters that are not column
// names are refused rather than ignored: a filter Parley would skip must not widen the answer.
[[nodiscard]] Rest<ReadQuery> parse_read_query(std::string_view query, const TableShape& table);

// A POST's query: select (for return=representation) and supabase-js's `columns`; both checked
// against the table. Returns the select list.
[[nodiscard]] Rest<std::vector<std::string>> parse_write_query(std::string_view query, const TableShape& table);

// Range: "first-last" or "first-" (items; Range-Unit, when sent, must say items) narrows the
// query's offset and limit, as PostgREST combines them.
[[nodiscard]] Rest<void> apply_range(ReadQuery& query, std::string_view range, std::string_view range_unit);

// Content-Range for `count` rows starting at `offset`: "0-9/*", or "*/*" for none; with the
// total when it was counted (Prefer: count=...), "0-9/130".
[[nodiscard]] std::string content_range(std::int64_t offset, std::size_t count,
                                        std::optional<std::int64_t> total = std::nullopt);

enum class ReturnPreference { minimal, headers_only, representation };
struct Preferences {
  ReturnPreference returned = ReturnPreference::minimal;
  // count=exact, planned or estimated: all three are answered exactly, since both tables count
  // cheaply (a room's seq is gapless; the caller's rooms are one short list).
  bool count = false;
};
// Prefer: return=... and count=...; other preferences (missing, tx, handling) are ignored as
// PostgREST's lenient handling ignores what it does not apply.
[[nodiscard]] Rest<Preferences> parse_prefer(std::string_view header);

// What a messages query asks, in Parley's terms: one room, a seq window (exclusive bounds),
// a direction, and how many rows after skipping `offset`.
struct MessageWindow {
  std::int64_t room_id = 0;
  std::int64_t after = 0;                // seq > after
  std::optional<std::int64_t> before;    // seq < before
  bool descending = false;
  std::int64_t limit = kMaxRows;
  std::int64_t offset = 0;
};
// room_id=eq.<id> is required; seq takes eq, lt, lte, gt and gte (repeated: all apply); the
// order is seq or created_at (the same order: created_at is taken at commit, in seq order),
// ascending by default.
[[nodiscard]] Rest<MessageWindow> message_window(const ReadQuery& query);

// How many messages the window holds (offset and limit aside) in a room whose newest message
// is `last_seq`: seq is gapless, so the count is the width of the window.
[[nodiscard]] std::int64_t messages_in_window(const MessageWindow& window, std::int64_t last_seq);

// The row with only `columns` (all when empty), in the order asked.
[[nodiscard]] boost::json::object project(const boost::json::object& row, const std::vector<std::string>& columns);

// The messages table's column names, from message_row.hpp's one list.
[[nodiscard]] const TableShape& messages_table();

}  // namespace parley::gateway::supabase
