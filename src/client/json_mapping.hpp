#pragma once
// The SDK's values <-> JSON. Field names are the protocol's (docs/protocol.md), so the same
// functions read the server's frames, write the local store's rows and speak the C API.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <parley/types.hpp>

namespace parley::client {

[[nodiscard]] boost::json::object to_json(const User& user);
[[nodiscard]] boost::json::object to_json(const Message& message);
[[nodiscard]] boost::json::object to_json(const Room& room);
[[nodiscard]] boost::json::object to_json(const Member& member);
[[nodiscard]] boost::json::object to_json(const Presence& presence);

// Tolerant readers: a missing field keeps its default; the server is trusted to follow the protocol.
[[nodiscard]] User user_from_json(const boost::json::value& v);
[[nodiscard]] Message message_from_json(const boost::json::value& v);
[[nodiscard]] Room room_from_json(const boost::json::value& v);
[[nodiscard]] Member member_from_json(const boost::json::value& v);
[[nodiscard]] Presence presence_from_json(const boost::json::value& v);

[[nodiscard]] MessageState message_state_from(std::string_view text);

}  // namespace parley::client
