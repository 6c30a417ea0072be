#include "server/gateway/realtime/relayed_broadcast.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace parley::gateway::realtime {

namespace json = boost::json;
namespace base64 = boost::beast::detail::base64;

std::string encode_relayed(const RelayedBroadcast& broadcast) {
  json::object out{{"topic", broadcast.topic}, {"broadcast", broadcast.payload}};
  if (broadcast.bytes) {
    std::string text(base64::encoded_size(broadcast.bytes->size()), '\0');
    text.resize(base64::encode(text.data(), broadcast.bytes->data(), broadcast.bytes->size()));
    out["bytes"] = std::move(text);
  }
  return json::serialize(out);
}

std::optional<RelayedBroadcast> decode_relayed(std::string_view relayed) {
  boost::system::error_code ec;
  json::value value = json::parse(relayed, ec);
  if (ec || !value.is_object()) return std::nullopt;
  auto& fields = value.get_object();
  auto* topic = fields.if_contains("topic");
  auto* payload = fields.if_contains("broadcast");
  if (!topic || !topic->is_string() || !payload || !payload->is_object()) return std::nullopt;
  RelayedBroadcast out{std::string(topic->get_string()), std::move(payload->get_object()), std::nullopt};
  if (auto* bytes = fields.if_contains("bytes")) {
    if (!bytes->is_string()) return std::nullopt;
    const auto& text = bytes->get_string();
    std::string decoded(base64::decoded_size(text.size()), '\0');
    const auto [written, read] = base64::decode(decoded.data(), text.data(), text.size());
    // It stops at the padding, or at the first character that is not base64.
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    if (read + padding != text.size()) return std::nullopt;
    decoded.resize(written);
    out.bytes = std::move(decoded);
  }
  return out;
}

}  // namespace parley::gateway::realtime
