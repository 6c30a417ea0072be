#pragma once
// The frames of the WebSocket protocol and the error bodies of HTTP (docs/protocol.md).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::protocol {

struct Request {
  boost::json::value id;       // the caller's id (string or integer), echoed in the reply
  std::string op;
  boost::json::object params;  // the whole frame; operations read their fields from it
};

// Reads bytes as a JSON object: invalid_utf8, malformed_json (not JSON, or not an object).
[[nodiscard]] Result<boost::json::object> parse_object(std::string_view bytes);

// Reads a WebSocket request frame. On failure `id` receives whatever id could be read (null
// when the frame is not a JSON object), so the error reply can still carry it.
[[nodiscard]] Result<Request> parse_request(std::string_view bytes, boost::json::value& id);

[[nodiscard]] std::string encode_reply(const boost::json::value& id, const boost::json::value& data);
[[nodiscard]] std::string encode_error_reply(const boost::json::value& id, const Error& error);
[[nodiscard]] std::string encode_event(std::string_view name, boost::json::object data);

// The seq and sender of a `message` event frame; nullopt for any other frame. For events from
// a node of the previous release, whose bus layout did not carry them.
struct MessagePosition {
  std::int64_t seq = 0;
  std::int64_t sender = 0;
};
[[nodiscard]] std::optional<MessagePosition> message_position(std::string_view event_frame);

// The user and the status a `presence` event frame tells; nullopt for any other frame, and for a
// presence without a status (someone offline, as others see them).
struct PresenceStatusSeen {
  std::int64_t user = 0;
  std::string status;
};
[[nodiscard]] std::optional<PresenceStatusSeen> presence_status(std::string_view event_frame);

[[nodiscard]] unsigned http_status(ErrorCode code);
// What an `unavailable` error without a figure of its own tells the client to wait.
inline constexpr std::int64_t kUnavailableRetryAfterMs = 1000;
// {"code", "message"}, and "retry_after_ms" for rate_limited and unavailable.
[[nodiscard]] boost::json::object error_body(const Error& error);

}  // namespace parley::protocol
