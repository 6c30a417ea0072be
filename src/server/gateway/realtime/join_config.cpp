#include "server/gateway/realtime/join_config.hpp"

#include <charconv>

namespace parley::gateway::realtime {

namespace json = boost::json;

namespace {

Error invalid(std::string what) { return Error{ErrorCode::invalid_payload, std::move(what)}; }

std::optional<std::int64_t> positive_number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// Clients send booleans as JSON booleans, and some as the strings "true" and "false".
Result<bool> read_flag(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (!value || value->is_null()) return false;
  if (value->is_bool()) return value->get_bool();
  if (value->is_string() && (value->get_string() == "true" || value->get_string() == "false"))
    return value->get_string() == "true";
  return std::unexpected(invalid(std::string(name) + " must be true or false"));
}

const json::object* section(const json::object& config, std::string_view name) {
  const auto* value = config.if_contains(name);
  return value && value->is_object() ? &value->get_object() : nullptr;
}

Result<ChangesBinding> read_binding(const json::value& value) {
  if (!value.is_object()) return std::unexpected(invalid("each postgres_changes entry must be an object"));
  const auto& fields = value.get_object();
  const auto text = [&](std::string_view name) -> std::string {
    const auto* field = fields.if_contains(name);
    return field && field->is_string() ? std::string(field->get_string()) : std::string();
  };
  ChangesBinding binding{.event = text("event"), .schema = text("schema"), .table = text("table"), .filter = text("filter")};
  if (binding.event != "INSERT" && binding.event != "UPDATE" && binding.event != "*")
    return std::unexpected(
        invalid("postgres_changes: Parley sends the events INSERT and UPDATE (or *), not \"" + binding.event + "\""));
  if (binding.schema != "public" || binding.table != "messages")
    return std::unexpected(invalid("postgres_changes: Parley serves the table public.messages, not \"" + binding.schema + "." +
                                   binding.table + "\""));
  if (!binding.filter.empty()) {
    constexpr std::string_view kRoomFilter = "room_id=eq.";
    const std::string_view filter = binding.filter;
    auto room = filter.starts_with(kRoomFilter) ? positive_number(filter.substr(kRoomFilter.size())) : std::nullopt;
    if (!room)
      return std::unexpected(invalid("postgres_changes: the filter must be room_id=eq.<room id> or absent, not \"" +
                                     binding.filter + "\""));
    binding.room = RoomId{*room};
  }
  if (const auto* after = fields.if_contains("after_seq"); after && !after->is_null()) {
    if (!after->is_int64() || after->get_int64() < 0)
      return std::unexpected(invalid("postgres_changes: after_seq must be a whole number, 0 or more"));
    if (!binding.room) return std::unexpected(invalid("postgres_changes: after_seq needs a room: filter room_id=eq.<id>"));
    binding.after_seq = after->get_int64();
  }
  return binding;
}

}  // namespace

std::optional<RoomId> room_of_topic(std::string_view topic) {
  constexpr std::string_view kRoomTopic = "realtime:room:";
  if (!topic.starts_with(kRoomTopic)) return std::nullopt;
  auto id = positive_number(topic.substr(kRoomTopic.size()));
  if (!id) return std::nullopt;
  return RoomId{*id};
}

Result<JoinConfig> read_join_config(const json::value& payload) {
  JoinConfig out;
  if (payload.is_null()) return out;
  if (!payload.is_object()) return std::unexpected(invalid("the phx_join payload must be an object"));
  const auto& fields = payload.get_object();
  if (const auto* token = fields.if_contains("access_token"); token && token->is_string())
    out.access_token = std::string(token->get_string());
  const auto* config = section(fields, "config");
  if (!config) return out;
  if (const auto* broadcast = section(*config, "broadcast")) {
    PARLEY_TRY(self, read_flag(*broadcast, "self"));
    PARLEY_TRY(ack, read_flag(*broadcast, "ack"));
    out.broadcast_self = self;
    out.broadcast_ack = ack;
  }
  if (const auto* presence = section(*config, "presence")) {
    PARLEY_TRY(enabled, read_flag(*presence, "enabled"));
    out.presence_enabled = enabled;
    if (const auto* key = presence->if_contains("key"); key && key->is_string()) out.presence_key = std::string(key->get_string());
  }
  if (const auto* changes = config->if_contains("postgres_changes"); changes && !changes->is_null()) {
    if (!changes->is_array()) return std::unexpected(invalid("postgres_changes must be an array"));
    for (const auto& entry : changes->get_array()) {
      PARLEY_TRY(binding, read_binding(entry));
      out.changes.push_back(std::move(binding));
    }
  }
  return out;
}

}  // namespace parley::gateway::realtime
