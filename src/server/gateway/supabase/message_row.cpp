#include "server/gateway/supabase/message_row.hpp"

#include <cstdio>
#include <ctime>

namespace parley::gateway::supabase {

namespace json = boost::json;

namespace {

// The columns in table order, with their PostgreSQL types.
constexpr std::pair<const char*, const char*> kColumns[] = {
    {"id", "int8"},          {"room_id", "int8"},     {"seq", "int8"},
    {"sender_id", "int8"},   {"client_msg_id", "text"}, {"type", "text"},
    {"text", "text"},        {"attachment", "jsonb"}, {"created_at", "timestamptz"},
    {"reply_to", "int8"},    {"edited_at", "timestamptz"}, {"deleted", "bool"},
};

}  // namespace

std::string timestamp_text(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const auto millis = static_cast<int>(ms - static_cast<std::int64_t>(seconds) * 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+00:00", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return text;
}

json::object message_row(const json::object& message) {
  json::object row;
  row.reserve(std::size(kColumns));
  for (const auto& [name, type] : kColumns) {
    const json::value* value = message.if_contains(name);
    if (!value) {
      // A message not deleted reads false, as a NOT NULL DEFAULT false column would.
      row[name] = std::string_view(name) == "deleted" ? json::value(false) : json::value(nullptr);
    } else if (std::string_view(type) == "timestamptz" && value->is_int64()) {
      row[name] = timestamp_text(value->get_int64());
    } else {
      row[name] = *value;
    }
  }
  return row;
}

bool is_event_row(const json::object& message) {
  // Only events carry relates_to.
  return message.contains("relates_to");
}

const json::array& message_columns() {
  static const json::array columns = [] {
    json::array out;
    for (const auto& [name, type] : kColumns) out.push_back(json::object{{"name", name}, {"type", type}});
    return out;
  }();
  return columns;
}

}  // namespace parley::gateway::supabase
