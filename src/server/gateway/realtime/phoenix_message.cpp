#include "server/gateway/realtime/phoenix_message.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "domain/validation.hpp"

namespace parley::gateway::realtime {

namespace json = boost::json;

namespace {

constexpr std::uint8_t kUserBroadcastPush = 3;
constexpr std::uint8_t kUserBroadcast = 4;
constexpr std::uint8_t kBinaryEncoding = 0;
constexpr std::uint8_t kJsonEncoding = 1;

Error malformed(std::string what) { return Error{ErrorCode::invalid_payload, std::move(what)}; }

// Whether a number somewhere in the value is too large for a double. Boost.JSON reads 1e400 as
// infinity and would write it back as `Infinity`, which is not JSON: a relayed broadcast or
// presence holding one would break every client that received it. Depth is bounded by the
// parser's (32).
bool holds_infinity(const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_: return !std::isfinite(value.get_double());
    case json::kind::array:
      for (const auto& item : value.get_array())
        if (holds_infinity(item)) return true;
      return false;
    case json::kind::object:
      for (const auto& field : value.get_object())
        if (holds_infinity(field.value())) return true;
      return false;
    default: return false;
  }
}

Result<json::value> parse_json(std::string_view text) {
  if (!domain::is_valid_utf8(text)) return fail(ErrorCode::invalid_utf8, "the message is not valid UTF-8");
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return fail(ErrorCode::malformed_json, "the message is not valid JSON: " + ec.message());
  if (holds_infinity(value)) return std::unexpected(malformed("a number in the message is too large for a double"));
  return value;
}

// A ref or join_ref: a string, a number (some clients send them), or null.
Result<std::optional<std::string>> read_ref(const json::value* value, std::string_view name) {
  if (!value || value->is_null()) return std::optional<std::string>{};
  if (value->is_string()) return std::optional<std::string>(std::string(value->get_string()));
  if (value->is_int64()) return std::optional<std::string>(std::to_string(value->get_int64()));
  return std::unexpected(malformed(std::string(name) + " must be a string or null"));
}

Result<std::string> read_name(const json::value* value, std::string_view name) {
  if (!value || !value->is_string()) return std::unexpected(malformed(std::string(name) + " must be a string"));
  return std::string(value->get_string());
}

Result<PhoenixMessage> decode_array(json::array& parts) {
  if (parts.size() != 5) return std::unexpected(malformed("a message is [join_ref, ref, topic, event, payload]"));
  PhoenixMessage message;
  PARLEY_TRY(join_ref, read_ref(&parts[0], "join_ref"));
  PARLEY_TRY(ref, read_ref(&parts[1], "ref"));
  PARLEY_TRY(topic, read_name(&parts[2], "topic"));
  PARLEY_TRY(event, read_name(&parts[3], "event"));
  message.join_ref = std::move(join_ref);
  message.ref = std::move(ref);
  message.topic = std::move(topic);
  message.event = std::move(event);
  message.payload = std::move(parts[4]);
  return message;
}

Result<PhoenixMessage> decode_object(json::object& fields) {
  PhoenixMessage message;
  PARLEY_TRY(join_ref, read_ref(fields.if_contains("join_ref"), "join_ref"));
  PARLEY_TRY(ref, read_ref(fields.if_contains("ref"), "ref"));
  PARLEY_TRY(topic, read_name(fields.if_contains("topic"), "topic"));
  PARLEY_TRY(event, read_name(fields.if_contains("event"), "event"));
  message.join_ref = std::move(join_ref);
  message.ref = std::move(ref);
  message.topic = std::move(topic);
  message.event = std::move(event);
  if (auto* payload = fields.if_contains("payload")) message.payload = std::move(*payload);
  return message;
}

// u8 3 | u8 join_ref | u8 ref | u8 topic | u8 event | u8 meta | u8 encoding | the five texts | payload
Result<PhoenixMessage> decode_broadcast_push(std::string_view bytes) {
  constexpr std::size_t kHeader = 7;
  if (bytes.size() < kHeader) return std::unexpected(malformed("a binary message is shorter than its header"));
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  if (byte(0) != kUserBroadcastPush)
    return std::unexpected(malformed("binary messages of kind " + std::to_string(byte(0)) + " are not taken; kind 3 is"));
  std::size_t at = kHeader;
  std::string_view texts[5];
  for (int i = 0; i < 5; ++i) {
    const std::size_t length = byte(1 + static_cast<std::size_t>(i));
    if (bytes.size() - at < length) return std::unexpected(malformed("a binary message is shorter than its lengths say"));
    texts[i] = bytes.substr(at, length);
    at += length;
    if (!domain::is_valid_utf8(texts[i])) return fail(ErrorCode::invalid_utf8, "a binary message's header is not UTF-8");
  }
  const std::uint8_t encoding = byte(6);
  if (encoding != kBinaryEncoding && encoding != kJsonEncoding)
    return std::unexpected(malformed("payload encoding " + std::to_string(encoding) + " is unknown: 0 is bytes, 1 JSON"));
  PhoenixMessage message;
  if (!texts[0].empty()) message.join_ref = std::string(texts[0]);
  if (!texts[1].empty()) message.ref = std::string(texts[1]);
  message.topic = std::string(texts[2]);
  message.event = "broadcast";
  json::object payload{{"type", "broadcast"}, {"event", texts[3]}};
  if (!texts[4].empty()) {
    if (auto meta = parse_json(texts[4])) {
      payload["meta"] = std::move(*meta);
    } else {
      message.invalid = meta.error();
    }
  }
  const std::string_view body = bytes.substr(at);
  if (encoding == kJsonEncoding) {
    if (auto value = parse_json(body)) {
      payload["payload"] = std::move(*value);
    } else if (!message.invalid) {
      message.invalid = value.error();
    }
  } else {
    message.binary_payload = std::string(body);
  }
  message.payload = std::move(payload);
  return message;
}

json::value ref_value(const std::optional<std::string>& ref) {
  if (!ref) return nullptr;
  return json::string(*ref);
}

}  // namespace

std::optional<Serializer> serializer_named(std::string_view vsn) {
  if (vsn.empty() || vsn == "1.0.0") return Serializer::v1;
  if (vsn == "2.0.0") return Serializer::v2;
  return std::nullopt;
}

Result<PhoenixMessage> decode_message(std::string_view bytes, bool binary, Serializer serializer) {
  if (binary) {
    if (serializer != Serializer::v2) return std::unexpected(malformed("binary messages need the serializer 2.0.0"));
    return decode_broadcast_push(bytes);
  }
  PARLEY_TRY(value, parse_json(bytes));
  if (serializer == Serializer::v2) {
    if (!value.is_array()) return std::unexpected(malformed("with the serializer 2.0.0 a message is a JSON array"));
    return decode_array(value.get_array());
  }
  if (!value.is_object()) return std::unexpected(malformed("with the serializer 1.0.0 a message is a JSON object"));
  return decode_object(value.get_object());
}

std::string encode_message(const std::optional<std::string>& join_ref, const std::optional<std::string>& ref,
                           std::string_view topic, std::string_view event, const json::value& payload,
                           Serializer serializer) {
  if (serializer == Serializer::v2)
    return json::serialize(json::array{ref_value(join_ref), ref_value(ref), topic, event, payload});
  json::object out;
  out["join_ref"] = ref_value(join_ref);
  out["ref"] = ref_value(ref);
  out["topic"] = topic;
  out["event"] = event;
  out["payload"] = payload;
  return json::serialize(out);
}

std::string encode_binary_broadcast(std::string_view topic, std::string_view event, std::string_view payload) {
  // Lengths are one byte each: a topic or event name longer than 255 bytes is cut, as no
  // client sends one (the kind 3 push that carried it had the same limit).
  const auto length = [](std::string_view text) { return static_cast<std::uint8_t>(std::min<std::size_t>(text.size(), 255)); };
  std::string out;
  out.reserve(5 + topic.size() + event.size() + payload.size());
  out.push_back(static_cast<char>(kUserBroadcast));
  out.push_back(static_cast<char>(length(topic)));
  out.push_back(static_cast<char>(length(event)));
  out.push_back(0);  // no meta
  out.push_back(static_cast<char>(kBinaryEncoding));
  out.append(topic.substr(0, length(topic)));
  out.append(event.substr(0, length(event)));
  out.append(payload);
  return out;
}

}  // namespace parley::gateway::realtime
