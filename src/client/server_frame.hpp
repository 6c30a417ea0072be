#pragma once
// What one WebSocket message from the server says (docs/protocol.md, "Frames"): an event, or the
// reply to a request with its data or its error. Read here, apart from the connection, so that
// what a server can send is checked without one.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <parley/error.hpp>

namespace parley::client {

struct ServerEvent {
  std::string name;
  boost::json::object data;  // empty when the event carries none
};

struct ServerReply {
  std::int64_t id = 0;  // the id of the request it answers
  Result<boost::json::value> answer;
};

// monostate for what the SDK does not read: not a JSON object, or a reply without an integer id.
using ServerFrame = std::variant<std::monostate, ServerEvent, ServerReply>;

[[nodiscard]] ServerFrame read_server_frame(std::string_view text);

}  // namespace parley::client
