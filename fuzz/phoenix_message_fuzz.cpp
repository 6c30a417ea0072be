// Feeds a Supabase Realtime client's message to what reads it: decode_message in either
// serializer, as text or as a binary broadcast (the first byte chooses), then read_join_config
// on its payload. Beyond "no crash", it checks that:
//  - a message read as text is written back by encode_message and reads the same again;
//  - a binary message read is a broadcast with an event name;
//  - a join config's bindings name public.messages, and after_seq only with a room.
#include <boost/json/serialize.hpp>
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
              reread->event == message->event && reread->payload == message->payload,
          "what was written reads the same");
  check_config(message->payload);
  return 0;
}
