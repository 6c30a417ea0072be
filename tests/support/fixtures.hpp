#pragma once
// Building blocks the integration tests share: accounts, authenticated connections, rooms and
// messages. Helpers that set up state require success and throw (failing the test with the
// server's answer) when the server refuses.
#include "support/http_client.hpp"
#include "support/json_access.hpp"
#include "support/test_server.hpp"
#include "support/ws_client.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::test {

inline constexpr std::string_view kPassword = "correct horse battery";

struct Account {
  std::int64_t id = 0;
  std::string username;
  std::string password;
  std::string access_token;
  std::string refresh_token;
  boost::json::object user;  // the User object the server returned
};

// A username no other call in this process returns, e.g. "alice_7" (valid: a-z 0-9 _).
[[nodiscard]] std::string unique_username(std::string_view prefix);

// POST /v1/auth/register with a unique name made from `prefix`; requires 201.
[[nodiscard]] Account register_user(const TestServer& server, std::string_view prefix,
                                    std::string_view password = kPassword);
// POST /v1/auth/login; requires 200.
[[nodiscard]] Account login(const TestServer& server, std::string_view username,
                            std::string_view password = kPassword);

// A WebSocket connection authenticated with an auth frame.
[[nodiscard]] WsClient connect(const TestServer& server, const Account& account);

// Throws with the reply when it is not a success; returns (a copy of) its data, so that it may
// be called on a temporary reply.
boost::json::object require_ok(const WsReply& reply, std::string_view what);

// rooms.create; returns the room id.
[[nodiscard]] std::int64_t create_group(WsClient& ws, std::string_view name,
                                        const std::vector<std::int64_t>& members = {});
// rooms.direct by user id; returns the room id.
[[nodiscard]] std::int64_t direct_room(WsClient& ws, std::int64_t peer_id);

// messages.send of a text; requires success and returns the stored message.
boost::json::object send_text(WsClient& ws, std::int64_t room_id, std::string_view text,
                              std::string_view client_msg_id);

// Sends `count` texts with client_msg_ids "<prefix>-0", "<prefix>-1", ... keeping up to `window`
// requests in flight, and returns the stored messages in sending order.
std::vector<boost::json::object> send_texts_pipelined(WsClient& ws, std::int64_t room_id,
                                                      std::string_view prefix, int count,
                                                      int window = 32);

// The message without `status`, the part that depends on who looks (the sender sees the
// delivery status of its own messages): for comparing one message seen from several places.
boost::json::object without_status(boost::json::object message);

// True for a `message` event carrying the message `client_msg_id` of this room.
bool carries_message(const Event& event, std::int64_t room_id, std::string_view client_msg_id);

// The next `message` event of this room with this client_msg_id (others stay buffered).
boost::json::object wait_message(WsClient& ws, std::int64_t room_id, std::string_view client_msg_id);

// True for an event `name` about this room: data.room.id (room.joined, room.updated) or
// data.room_id (room.left) equals `room_id`.
bool is_room_event(const Event& event, std::string_view name, std::int64_t room_id);

// The next event `name` about this room. Other events stay buffered.
Event wait_room_event(WsClient& ws, std::string_view name, std::int64_t room_id);

// The room's whole history, paging backwards by 100, oldest first.
std::vector<boost::json::object> fetch_history(WsClient& ws, std::int64_t room_id);
std::vector<boost::json::object> fetch_history_http(const TestServer& server,
                                                    const Account& account, std::int64_t room_id);

// The member of members.list with this user id, if present.
std::optional<boost::json::object> find_member(WsClient& ws, std::int64_t room_id, std::int64_t user_id);

// The system messages of `history` whose system.event is `event`.
std::vector<boost::json::object> system_messages(const std::vector<boost::json::object>& history,
                                                 std::string_view event);

}  // namespace parley::test
