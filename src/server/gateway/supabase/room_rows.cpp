#include "server/gateway/supabase/room_rows.hpp"

#include <algorithm>
#include <array>

#include <boost/json/serialize.hpp>

#include "server/gateway/supabase/message_row.hpp"

namespace parley::gateway::supabase {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 8> kColumns{"id",         "kind",     "name",         "created_by",
                                                   "created_at", "last_seq", "member_count", "unread_count"};

// A value as it is written after "eq.": strings as they are, numbers in decimal.
std::string filter_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return "null";
  return json::serialize(value);
}

// Numbers by value, anything else by its text; a null (a column a room lacks) sorts first, so
// that the order stays total.
bool less(const json::value& a, const json::value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && !b.is_null();
  if (a.is_number() && b.is_number()) return a.to_number<std::int64_t>() < b.to_number<std::int64_t>();
  return filter_text(a) < filter_text(b);
}

}  // namespace

const TableShape& rooms_table() {
  static const TableShape table{"rooms", kColumns};
  return table;
}

json::object room_row(const json::object& room) {
  json::object row;
  row.reserve(kColumns.size());
  for (auto name : kColumns) {
    const auto* value = room.if_contains(name);
    if (!value) {
      row[name] = nullptr;
    } else if (name == "created_at" && value->is_int64()) {
      row[name] = timestamp_text(value->get_int64());
    } else {
      row[name] = *value;
    }
  }
  return row;
}

Rest<RoomSelection> select_rooms(std::vector<json::object> rows, const ReadQuery& query) {
  for (const auto& f : query.filters)
    if (f.op != "eq")
      return std::unexpected(bad_query("rooms take only eq filters, not " + f.column + "=" + f.op + "." + f.value,
                                       "e.g. /rest/v1/rooms?id=eq.7"));
  std::erase_if(rows, [&](const json::object& row) {
    return std::any_of(query.filters.begin(), query.filters.end(),
                       [&](const Filter& f) { return filter_text(row.at(f.column)) != f.value; });
  });
  if (query.order) {
    const auto& order = *query.order;
    std::stable_sort(rows.begin(), rows.end(), [&](const json::object& a, const json::object& b) {
      return order.descending ? less(b.at(order.column), a.at(order.column)) : less(a.at(order.column), b.at(order.column));
    });
  }
  const auto matched = static_cast<std::int64_t>(rows.size());
  const auto offset = std::min<std::size_t>(static_cast<std::size_t>(query.offset), rows.size());
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(offset));
  const auto limit = static_cast<std::size_t>(std::min(query.limit.value_or(kMaxRows), kMaxRows));
  if (rows.size() > limit) rows.resize(limit);
  for (auto& row : rows) row = project(row, query.columns);
  return RoomSelection{std::move(rows), matched};
}

}  // namespace parley::gateway::supabase
