#pragma once
// Reading the server's replies without trusting their shape. Boost.JSON's own accessors
// (at, as_object, as_int64...) throw on a missing field or a wrong kind, and a throw on the
// network thread would end the app; these return an Error (invalid_payload, naming the field)
// instead, which the call that waited for the reply returns.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include <parley/error.hpp>
#include <parley/types.hpp>
#include <vector>

namespace parley::client {

[[nodiscard]] Error malformed_reply(std::string_view what);

// The value itself as an object.
[[nodiscard]] Result<const boost::json::object*> object_in(const boost::json::value& v);
// A field of an object value. The pointers point into `v`: valid while `v` is.
[[nodiscard]] Result<const boost::json::object*> object_field(const boost::json::value& v, std::string_view key);
[[nodiscard]] Result<const boost::json::array*> array_field(const boost::json::value& v, std::string_view key);
[[nodiscard]] Result<std::int64_t> int_field(const boost::json::value& v, std::string_view key);
[[nodiscard]] Result<std::string> string_field(const boost::json::value& v, std::string_view key);
[[nodiscard]] Result<bool> bool_field(const boost::json::value& v, std::string_view key);
// An element of an array that must be an integer (an id in a list).
[[nodiscard]] Result<std::int64_t> int_in(const boost::json::value& v);

// A committed message as the server describes it: it has the room and seq the local store is
// keyed on.
[[nodiscard]] Result<Message> committed_message(const boost::json::object& o);
// The lists some replies carry: {"members": [Member]} and {"messages": [Message]} (committed
// messages: each has a room and a seq).
[[nodiscard]] Result<std::vector<Member>> members_of(const boost::json::value& answer);
[[nodiscard]] Result<std::vector<Message>> messages_of(const boost::json::value& answer);
// The `last_seq` beside a page of messages (a history page, a sync's room): the room's newest
// seq when the server read them (LocalStore::store_messages's snapshot_seq). 0 when absent.
[[nodiscard]] Seq last_seq_of(const boost::json::value& answer);

}  // namespace parley::client
