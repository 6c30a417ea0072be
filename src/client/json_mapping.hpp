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

// Tolerant readers: a missing field, or one of the wrong kind, keeps its default; they never
// throw. Whether the result makes sense (a message with a seq) is for the caller to check.
// The *_from_object forms read an object already found (not overloads: the fuzz target passes
// the value forms as functions).
[[nodiscard]] User user_from_json(const boost::json::value& v);
[[nodiscard]] Message message_from_json(const boost::json::value& v);
[[nodiscard]] Room room_from_json(const boost::json::value& v);
[[nodiscard]] Member member_from_json(const boost::json::value& v);
[[nodiscard]] Presence presence_from_json(const boost::json::value& v);
[[nodiscard]] User user_from_object(const boost::json::object& o);
[[nodiscard]] Message message_from_object(const boost::json::object& o);
[[nodiscard]] Room room_from_object(const boost::json::object& o);
[[nodiscard]] Member member_from_object(const boost::json::object& o);
[[nodiscard]] Presence presence_from_object(const boost::json::object& o);

[[nodiscard]] MessageState message_state_from(std::string_view text);

}  // namespace parley::client
