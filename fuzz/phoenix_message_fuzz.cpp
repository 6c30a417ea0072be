// Feeds a Supabase Realtime client's message to what reads it: decode_message in either
// serializer, as text or as a binary broadcast (the first byte chooses), then read_join_config
// on its payload. Beyond "no crash", it checks that:
//  - a message read as text is written back by encode_message and reads the same again (a
//    number to within a few units in its last place: Boost.JSON 1.81 rounds a long decimal
//    to the nearest double only approximately, so a number of many digits may move once);
//  - a binary message read is a broadcast with an event name;
//  - a join config's bindings name public.messages, and after_seq only with a room.
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "server/gateway/realtime/join_config.hpp"
#include "server/gateway/realtime/phoenix_message.hpp"

namespace {

using namespace parley;
using namespace parley::gateway::realtime;
using fuzz::require;

// Equal, but for doubles that may differ by the parser's rounding: a relative 1e-14 is about
// fifty units in the last place, far below any change a reader would see as a different number.
bool same_json(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() || b.is_double()) {
    if (!a.is_number() || !b.is_number()) return false;
    const double x = a.to_number<double>();
    const double y = b.to_number<double>();
    if (x == y) return true;
    return std::isfinite(x) && std::isfinite(y) && std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return a == b;
  if (a.is_array()) {
    const auto& left = a.get_array();
    const auto& right = b.get_array();
    if (left.size() != right.size()) return false;
    for (std::size_t i = 0; i < left.size(); ++i)
      if (!same_json(left[i], right[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto& left = a.get_object();
    const auto& right = b.get_object();
    if (left.size() != right.size()) return false;
    for (const auto& field : left) {
      const auto* other = right.if_contains(field.key());
      if (!other || !same_json(field.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

void check_config(const boost::json::value& payload) {
  auto config = read_join_config(payload);
  if (!config) return;
  for (const auto& binding : config->changes) {
    require(binding.schema == "public" && binding.table == "messages", "a binding names public.messages");
    require(!binding.after_seq || binding.room, "after_seq comes with a room");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto mode = data[0];
  const std::string_view bytes = fuzz::as_text(data + 1, size - 1);
  const Serializer serializer = (mode & 1) ? Serializer::v2 : Serializer::v1;
  const bool binary = (mode & 2) != 0;
  auto message = decode_message(bytes, binary, serializer);
  if (!message) return 0;
  if (binary) {
    require(message->event == "broadcast", "a binary message is a broadcast");
    require(message->payload.as_object().at("event").is_string(), "a broadcast names its event");
    return 0;
  }
  const std::string again = encode_message(message->join_ref, message->ref, message->topic, message->event,
                                           message->payload, serializer);
  auto reread = decode_message(again, false, serializer);
  require(reread.has_value(), "what was written reads again");
  require(reread->join_ref == message->join_ref && reread->ref == message->ref && reread->topic == message->topic &&
              reread->event == message->event && same_json(reread->payload, message->payload),
          "what was written reads the same");
  check_config(message->payload);
  return 0;
}
