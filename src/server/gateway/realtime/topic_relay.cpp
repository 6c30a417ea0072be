#include "server/gateway/realtime/topic_relay.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace parley::gateway::realtime {

namespace json = boost::json;
namespace base64 = boost::beast::detail::base64;

namespace {

std::optional<std::string> decode_base64(const json::string& text) {
  std::string decoded(base64::decoded_size(text.size()), '\0');
  const auto [written, read] = base64::decode(decoded.data(), text.data(), text.size());
  // It stops at the padding, or at the first character that is not base64.
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  if (read + padding != text.size()) return std::nullopt;
  decoded.resize(written);
  return decoded;
}

std::optional<RelayedPresence> decode_presence(const json::value& value) {
  const auto* fields = value.if_object();
  if (!fields) return std::nullopt;
  const auto* topic = fields->if_contains("topic");
  const auto* connection = fields->if_contains("connection");
  const auto* key = fields->if_contains("key");
  if (!topic || !topic->is_string() || !connection || !connection->is_uint64() && !connection->is_int64() || !key ||
      !key->is_string())
    return std::nullopt;
  RelayedPresence out{std::string(topic->get_string()), connection->to_number<std::uint64_t>(), std::string(key->get_string()),
                      std::nullopt};
  if (const auto* meta = fields->if_contains("meta"); meta && !meta->is_null()) {
    if (!meta->is_object()) return std::nullopt;
    out.meta = meta->get_object();
  }
  return out;
}

}  // namespace

std::string encode_relayed(const RelayedBroadcast& broadcast) {
  json::object out{{"topic", broadcast.topic}, {"broadcast", broadcast.payload}};
  if (broadcast.bytes) {
    std::string text(base64::encoded_size(broadcast.bytes->size()), '\0');
    text.resize(base64::encode(text.data(), broadcast.bytes->data(), broadcast.bytes->size()));
    out["bytes"] = std::move(text);
  }
  return json::serialize(out);
}

std::string encode_relayed(const std::vector<RelayedPresence>& presences) {
  json::array entries;
  for (const auto& p : presences) {
    json::object entry{{"topic", p.topic}, {"connection", p.connection}, {"key", p.key}};
    if (p.meta) entry["meta"] = *p.meta;
    entries.push_back(std::move(entry));
  }
  return json::serialize(json::object{{"presences", std::move(entries)}});
}

std::optional<Relayed> decode_relayed(std::string_view relayed) {
  boost::system::error_code ec;
  json::value value = json::parse(relayed, ec);
  if (ec || !value.is_object()) return std::nullopt;
  auto& fields = value.get_object();
  if (auto* presences = fields.if_contains("presences")) {
    if (!presences->is_array()) return std::nullopt;
    std::vector<RelayedPresence> out;
    for (const auto& entry : presences->get_array()) {
      auto presence = decode_presence(entry);
      if (!presence) return std::nullopt;
      out.push_back(std::move(*presence));
    }
    return Relayed{std::move(out)};
  }
  auto* topic = fields.if_contains("topic");
  auto* payload = fields.if_contains("broadcast");
  if (!topic || !topic->is_string() || !payload || !payload->is_object()) return std::nullopt;
  RelayedBroadcast out{std::string(topic->get_string()), std::move(payload->get_object()), std::nullopt};
  if (auto* bytes = fields.if_contains("bytes")) {
    if (!bytes->is_string()) return std::nullopt;
    out.bytes = decode_base64(bytes->get_string());
    if (!out.bytes) return std::nullopt;
  }
  return Relayed{std::move(out)};
}

}  // namespace parley::gateway::realtime
