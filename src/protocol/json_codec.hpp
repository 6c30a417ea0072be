#pragma once
// Domain objects <-> their JSON shape on the wire (docs/protocol.md, "Objects").
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "domain/message.hpp"
#include "domain/message_status.hpp"
#include "domain/presence.hpp"
#include "domain/room.hpp"
#include "domain/push.hpp"
#include "domain/room_summary.hpp"
#include "domain/upload.hpp"
#include "domain/user.hpp"
#include "domain/user_settings.hpp"

namespace parley::protocol {

[[nodiscard]] boost::json::object to_json(const domain::User& user);
// The caller's own account: the User fields and the caller's settings beside them.
[[nodiscard]] boost::json::object to_json(const domain::Me& me);
// A push target as its owner lists it: the browser's keys left out.
[[nodiscard]] boost::json::object to_json(const domain::PushTarget& target);
[[nodiscard]] boost::json::object to_json(const domain::Message& message);
// The message with its status, for its sender.
[[nodiscard]] boost::json::object to_json(const domain::Message& message, const domain::MessageStatus* status);
[[nodiscard]] boost::json::object to_json(const domain::MessageStatus& status);
[[nodiscard]] boost::json::object to_json(const domain::PresenceView& presence);
// The room as the caller sees it: shared fields plus the caller's role, watermarks and unread count.
[[nodiscard]] boost::json::object to_json(const domain::RoomSummary& summary);
// The fields every member sees alike.
[[nodiscard]] boost::json::object room_fields(const domain::Room& room, std::int64_t member_count);
// `profile` may be null when the user is unknown to the caller.
[[nodiscard]] boost::json::object to_json(const domain::Member& member, const domain::User* profile);

// An upload as POST /v1/uploads answers it.
[[nodiscard]] boost::json::object to_json(const domain::Upload& upload);

// An attachment as both sides write it: the server in a message, the SDK in its local store.
[[nodiscard]] boost::json::object to_json(const domain::Attachment& attachment);
// What a server wrote, read as leniently as a client must: a field absent or of another type
// reads as empty, so that a newer server's message still shows.
[[nodiscard]] domain::Attachment attachment_from_wire(const boost::json::object& object);
// Lenient reads of one field, for the same purpose: absent, mistyped or out of range is nothing.
[[nodiscard]] std::optional<std::int64_t> lenient_int(const boost::json::object& object, std::string_view key);
[[nodiscard]] std::string lenient_string(const boost::json::object& object, std::string_view key);

// A client's attachment in a request, checked strictly: each mistake is an invalid_payload error.
[[nodiscard]] Result<domain::Attachment> attachment_from_json(const boost::json::value& value);

}  // namespace parley::protocol
