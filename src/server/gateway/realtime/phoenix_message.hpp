#pragma once
// Phoenix channel messages as Supabase Realtime clients put them on the wire (docs/supabase.md):
// serializer 1.0.0 (JSON objects), 2.0.0 (JSON arrays), and 2.0.0's binary broadcasts (a push of
// kind 3 from the client, a broadcast of kind 4 to it). Pure: bytes in, bytes out.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::gateway::realtime {

enum class Serializer { v1, v2 };

// The serializer a connection asked for with `vsn`; nullopt for a version this server lacks.
std::optional<Serializer> serializer_named(std::string_view vsn);

// How a Realtime connection began: its serializer, and the key (a user's token) it opened with.
struct RealtimeStart {
  Serializer serializer;
  std::string key;
  // Whether the key was live when the connection opened. A connection opened with an expired
  // key (docs/supabase.md) is nobody's device until it shows a live token.
  bool key_live = true;
};

struct PhoenixMessage {
  std::optional<std::string> join_ref;
  std::optional<std::string> ref;
  std::string topic;
  std::string event;
  boost::json::value payload;
  // A broadcast whose payload the client sent as bytes (kind 3 with binary encoding): the
  // payload's `payload` is then empty and these are the bytes.
  std::optional<std::string> binary_payload;
  // A binary broadcast whose header was read but whose meta or JSON payload was not: it is
  // answered with this error (the client waits for its ack).
  std::optional<Error> invalid;
};

// Reads one client message: `binary` for a binary WebSocket message.
Result<PhoenixMessage> decode_message(std::string_view bytes, bool binary, Serializer serializer);

// A server message as text in the connection's serializer. v1 objects begin with "join_ref",
// so they never look like a Parley event frame ({"event":...}) to the session carrying them.
std::string encode_message(const std::optional<std::string>& join_ref, const std::optional<std::string>& ref,
                           std::string_view topic, std::string_view event, const boost::json::value& payload,
                           Serializer serializer);

// A user broadcast of kind 4 (2.0.0 only), for a payload of bytes. It begins with the byte 4,
// which is how the session knows to send it as a binary WebSocket message.
std::string encode_binary_broadcast(std::string_view topic, std::string_view event, std::string_view payload);

}  // namespace parley::gateway::realtime
