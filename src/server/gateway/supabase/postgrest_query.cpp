#include "server/gateway/supabase/postgrest_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>

#include "server/gateway/supabase/message_row.hpp"

namespace parley::gateway::supabase {

namespace json = boost::json;

namespace {

constexpr std::string_view kFilterHint = "Parley reads the filters eq, lt, lte, gt and gte";

// Numbers from the query are held within [-1, 2^60]: no seq, row count or offset comes near
// either end, so the answers are the same, and the +1 and -1 and sums below cannot overflow.
constexpr std::int64_t kLargest = std::int64_t{1} << 60;
std::int64_t held(std::int64_t value) { return std::clamp<std::int64_t>(value, -1, kLargest); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// supabase-js quotes column names in `columns` ("room_id"); PostgREST accepts them in select too.
std::string_view unquote(std::string_view name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') return name.substr(1, name.size() - 2);
  return name;
}

// A key or value of the query, decoded; '+' is a space, as URLSearchParams (supabase-js) writes
// one.
std::string decoded(boost::urls::pct_string_view part) {
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  return part.decode(options);
}

// Each parameter of the query, decoded, in order.
Rest<std::vector<std::pair<std::string, std::string>>> query_params(std::string_view query) {
  // A copy, NUL-terminated: Boost.URL 1.81's parse_query hands its view's data() to a
  // constructor taking a string_view, which measures it with strlen. A view into the request's
  // header would run on into the bytes after the target.
  const std::string text(query);
  auto params = boost::urls::parse_query(text);
  if (!params) return std::unexpected(bad_query("the query string cannot be read"));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto param : *params) out.emplace_back(decoded(param.key), param.has_value ? decoded(param.value) : std::string());
  return out;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Rest<std::int64_t> non_negative(std::string_view name, std::string_view text) {
  auto value = whole_number(text);
  if (!value || *value < 0)
    return std::unexpected(bad_query(std::string(name) + " must be a whole number, 0 or more (not \"" + std::string(text) + "\")"));
  return held(*value);
}

bool has_column(const TableShape& table, std::string_view name) {
  return std::find(table.columns.begin(), table.columns.end(), name) != table.columns.end();
}

// select=* or select=a,b,c. Aliases, casts, JSON paths and embedded tables are PostgREST's but
// not Parley's: each has no table to reach or no type to cast.
Rest<std::vector<std::string>> select_list(std::string_view text, const TableShape& table) {
  std::vector<std::string> columns;
  bool every = false;
  while (true) {
    const auto comma = text.find(',');
    const auto item = unquote(trim(text.substr(0, comma)));
    if (item == "*") {
      every = true;
    } else if (item.find_first_of("():") != std::string_view::npos || item.find("->") != std::string_view::npos) {
      return std::unexpected(bad_query("select \"" + std::string(item) + "\" is not supported",
                                       "Parley reads select=* or a comma list of column names"));
    } else if (!item.empty()) {
      if (!has_column(table, item)) return std::unexpected(unknown_column(table.name, item));
      columns.emplace_back(item);
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (every) columns.clear();
  return columns;
}

Rest<Order> order_key(std::string_view text, const TableShape& table) {
  if (text.find(',') != std::string_view::npos)
    return std::unexpected(bad_query("order by more than one column is not supported", "order=<column>.asc or <column>.desc"));
  const auto dot = text.find('.');
  const auto column = unquote(text.substr(0, dot));
  if (!has_column(table, column)) return std::unexpected(unknown_column(table.name, column));
  Order order{std::string(column), false};
  std::string_view rest = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  while (!rest.empty()) {
    const auto next = rest.find('.');
    const auto word = rest.substr(0, next);
    if (word == "desc") {
      order.descending = true;
    } else if (word != "asc" && word != "nullsfirst" && word != "nullslast") {
      return std::unexpected(bad_query("order \"" + std::string(text) + "\" cannot be read", "order=<column>.asc or <column>.desc"));
    }
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
  }
  return order;
}

Rest<Filter> filter(std::string_view column, std::string_view text, const TableShape& table) {
  if (!has_column(table, column)) return std::unexpected(unknown_column(table.name, column));
  const auto dot = text.find('.');
  if (dot == std::string_view::npos)
    return std::unexpected(bad_query("the filter " + std::string(column) + "=" + std::string(text) + " cannot be read",
                                     "write <column>=<operator>.<value>, e.g. room_id=eq.7"));
  const auto op = text.substr(0, dot);
  constexpr std::array<std::string_view, 5> kOperators{"eq", "lt", "lte", "gt", "gte"};
  if (std::find(kOperators.begin(), kOperators.end(), op) == kOperators.end())
    return std::unexpected(bad_query("the operator \"" + std::string(op) + "\" (in " + std::string(column) + "=" +
                                         std::string(text) + ") is not supported",
                                     std::string(kFilterHint)));
  return Filter{std::string(column), std::string(op), std::string(text.substr(dot + 1))};
}

}  // namespace

Rest<ReadQuery> parse_read_query(std::string_view query, const TableShape& table) {
  ReadQuery out;
  auto params = query_params(query);
  if (!params) return std::unexpected(params.error());
  for (const auto& [key, value] : *params) {
    if (key == "select") {
      auto columns = select_list(value, table);
      if (!columns) return std::unexpected(columns.error());
      out.columns = std::move(*columns);
    } else if (key == "order") {
      auto order = order_key(value, table);
      if (!order) return std::unexpected(order.error());
      out.order = std::move(*order);
    } else if (key == "limit") {
      auto limit = non_negative("limit", value);
      if (!limit) return std::unexpected(limit.error());
      out.limit = *limit;
    } else if (key == "offset") {
      auto offset = non_negative("offset", value);
      if (!offset) return std::unexpected(offset.error());
      out.offset = *offset;
    } else if (key == "or" || key == "and" || key == "not.or" || key == "not.and") {
      return std::unexpected(bad_query("the logical filter \"" + key + "\" is not supported", std::string(kFilterHint)));
    } else {
      auto f = filter(key, value, table);
      if (!f) return std::unexpected(f.error());
      out.filters.push_back(std::move(*f));
    }
  }
  return out;
}

Rest<std::vector<std::string>> parse_write_query(std::string_view query, const TableShape& table) {
  std::vector<std::string> select;
  auto params = query_params(query);
  if (!params) return std::unexpected(params.error());
  for (const auto& [key, value] : *params) {
    if (key == "select" || key == "columns") {
      auto columns = select_list(value, table);
      if (!columns) return std::unexpected(columns.error());
      if (key == "select") select = std::move(*columns);
    } else if (key == "on_conflict") {
      return std::unexpected(bad_query("upsert (on_conflict) is not supported",
                                       "insert with a client_msg_id instead: a repeat returns the original row"));
    } else {
      return std::unexpected(bad_query("the parameter \"" + key + "\" is not supported on an insert",
                                       "an insert takes select and columns"));
    }
  }
  return select;
}

Rest<void> apply_range(ReadQuery& query, std::string_view range, std::string_view range_unit) {
  range = trim(range);
  if (range.empty()) return {};
  if (!range_unit.empty() && trim(range_unit) != "items")
    return std::unexpected(bad_query("Range-Unit must be items"));
  const auto dash = range.find('-');
  auto first = whole_number(range.substr(0, dash));
  std::optional<std::int64_t> last;
  if (dash != std::string_view::npos && dash + 1 < range.size()) last = whole_number(range.substr(dash + 1));
  if (dash == std::string_view::npos || !first || *first < 0 || (dash + 1 < range.size() && (!last || *last < 0)))
    return std::unexpected(bad_query("the Range header \"" + std::string(range) + "\" cannot be read", "Range: 0-9"));
  first = held(*first);
  if (last) last = held(*last);
  if (last && *last < *first)
    return std::unexpected(PostgrestError{.status = 416,
                                          .code = "PGRST103",
                                          .message = "Requested range not satisfiable",
                                          .details = "the last item comes before the first"});
  // The rows both the Range and limit/offset allow: the later start, the earlier end.
  const std::int64_t kOpen = std::numeric_limits<std::int64_t>::max();
  const std::int64_t start = std::max(*first, query.offset);
  const std::int64_t range_end = last ? *last + 1 : kOpen;
  const std::int64_t query_end = query.limit ? query.offset + *query.limit : kOpen;
  const std::int64_t end = std::min(range_end, query_end);
  query.offset = start;
  if (end != kOpen) query.limit = std::max<std::int64_t>(0, end - start);
  return {};
}

std::string content_range(std::int64_t offset, std::size_t count, std::optional<std::int64_t> total) {
  const std::string of = "/" + (total ? std::to_string(*total) : std::string("*"));
  if (count == 0) return "*" + of;
  return std::to_string(offset) + "-" + std::to_string(offset + static_cast<std::int64_t>(count) - 1) + of;
}

Rest<Preferences> parse_prefer(std::string_view header) {
  Preferences out;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = trim(header.substr(0, comma));
    if (item.starts_with("return=")) {
      const auto value = item.substr(7);
      if (value == "minimal") out.returned = ReturnPreference::minimal;
      else if (value == "representation") out.returned = ReturnPreference::representation;
      else if (value == "headers-only") out.returned = ReturnPreference::headers_only;
      else return std::unexpected(bad_query("Prefer: " + std::string(item) + " is not supported",
                                            "return=minimal, return=representation or return=headers-only"));
    } else if (item == "count=exact" || item == "count=planned" || item == "count=estimated") {
      out.count = true;
    }
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
  }
  return out;
}

Rest<MessageWindow> message_window(const ReadQuery& query) {
  MessageWindow out;
  bool have_room = false;
  for (const auto& f : query.filters) {
    auto value = whole_number(f.value);
    if (!value)
      return std::unexpected(bad_query(f.column + " takes a whole number, not \"" + f.value + "\""));
    if (f.column == "room_id") {
      if (f.op != "eq" || have_room)
        return std::unexpected(bad_query("room_id takes one filter, room_id=eq.<room id>"));
      out.room_id = *value;
      have_room = true;
    } else if (f.column == "seq") {
      // Every bound is made exclusive: seq is a whole number, so seq <= n is seq < n + 1.
      const std::int64_t v = held(*value);
      auto raise_after = [&](std::int64_t a) { out.after = std::max(out.after, a); };
      auto lower_before = [&](std::int64_t b) { out.before = out.before ? std::min(*out.before, b) : b; };
      if (f.op == "eq" || f.op == "gt" || f.op == "gte") raise_after(f.op == "gt" ? v : v - 1);
      if (f.op == "eq" || f.op == "lt" || f.op == "lte") lower_before(f.op == "lt" ? v : v + 1);
    } else {
      return std::unexpected(bad_query("filtering messages by " + f.column + " is not supported",
                                       "Parley filters messages by room_id=eq.<id> and by seq (eq, lt, lte, gt, gte)"));
    }
  }
  if (!have_room)
    return std::unexpected(bad_query("room_id=eq.<room id> is required: Parley reads the messages of one room at a time",
                                     "e.g. /rest/v1/messages?room_id=eq.7&order=seq.desc&limit=50"));
  if (query.order) {
    if (query.order->column != "seq" && query.order->column != "created_at")
      return std::unexpected(bad_query("messages are ordered by seq or created_at, not " + query.order->column,
                                       "order=seq.desc or order=seq.asc"));
    out.descending = query.order->descending;
  }
  if (query.offset > kMaxOffset)
    return std::unexpected(bad_query("offset may be at most " + std::to_string(kMaxOffset),
                                     "page with a seq cursor instead: seq=lt.<the last seq you have>"));
  out.offset = query.offset;
  out.limit = std::min(query.limit.value_or(kMaxRows), kMaxRows);
  return out;
}

std::int64_t messages_in_window(const MessageWindow& window, std::int64_t last_seq) {
  const std::int64_t newest = window.before ? std::min(*window.before - 1, last_seq) : last_seq;
  return std::max<std::int64_t>(0, newest - window.after);
}

json::object project(const json::object& row, const std::vector<std::string>& columns) {
  if (columns.empty()) return row;
  json::object out;
  out.reserve(columns.size());
  for (const auto& name : columns) {
    const auto* value = row.if_contains(name);
    out[name] = value ? *value : json::value(nullptr);
  }
  return out;
}

const TableShape& messages_table() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& column : message_columns()) out.push_back(column.as_object().at("name").as_string());
    return out;
  }();
  static const TableShape table{"messages", names};
  return table;
}

}  // namespace parley::gateway::supabase
