#pragma once
// Helpers for the tests of live state: receipts, message status, typing and presence.
//
// Much of this state is checked by its absence ("no event arrives"), so next to the waits for an
// event there are bounded collections of whatever arrives within a short window.
#include "support/fixtures.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::test {

// How long an absence check listens. Only a server that wrongly sends the event makes it fail,
// so a slow machine cannot make it flaky; it can at worst let a late wrong event slip through.
inline constexpr std::chrono::milliseconds kQuietWindow{800};

// Every event matching `match` that arrives within `window` from now (events that do not match
// stay buffered). Returns when the window is over, never earlier.
std::vector<Event> collect_events(WsClient& ws, const std::function<bool(const Event&)>& match,
                                  std::chrono::milliseconds window = kQuietWindow);

// Every event (of any name) that arrives within `window`; the buffer is empty afterwards.
std::vector<Event> drain_events(WsClient& ws, std::chrono::milliseconds window = kQuietWindow);

// "name data" of each event, one per line, for failure messages.
std::string describe(const std::vector<Event>& events);

// ---- rooms made before anyone connects ---------------------------------------------------
// Over HTTP, so that the connections opened afterwards already belong to the room when they
// authenticate and no test has to wait for room.joined on each of them.

// POST /v1/rooms/direct; requires success and returns the room id.
std::int64_t direct_room_http(const TestServer& server, const Account& caller, std::int64_t peer_id);
// POST /v1/rooms; requires 201 and returns the room id.
std::int64_t create_group_http(const TestServer& server, const Account& admin, std::string_view name,
                               const std::vector<std::int64_t>& members);

// ---- receipts and message status ----------------------------------------------------------

// receipts.mark with whichever watermarks are given; requires success and returns the reply's
// data: {"room_id", "delivered_seq", "read_seq", "unread_count"}.
boost::json::object mark(WsClient& ws, std::int64_t room_id, std::optional<std::int64_t> delivered_seq,
                         std::optional<std::int64_t> read_seq);

// The data of a `receipt` event, for comparing whole objects.
boost::json::object receipt_data(std::int64_t room_id, std::int64_t user_id, std::int64_t delivered_seq,
                                 std::int64_t read_seq);

// True for a `receipt` event of this room about this user.
bool is_receipt_of(const Event& event, std::int64_t room_id, std::int64_t user_id);

// The next `receipt` event of this room about this user (others stay buffered).
Event wait_receipt(WsClient& ws, std::int64_t room_id, std::int64_t user_id);

// The message `seq` of the room as messages.history (over WebSocket) returns it.
boost::json::object history_message(WsClient& ws, std::int64_t room_id, std::int64_t seq);
// The same over HTTP: GET /v1/rooms/{room_id}/messages.
boost::json::object history_message_http(const TestServer& server, const Account& account,
                                         std::int64_t room_id, std::int64_t seq);

// The room as rooms.list returns it to the caller; throws when the room is not listed.
boost::json::object listed_room(WsClient& ws, std::int64_t room_id);
// The same over HTTP: GET /v1/rooms.
boost::json::object listed_room_http(const TestServer& server, const Account& account,
                                     std::int64_t room_id);

// A message status as the protocol writes it, for comparing whole objects.
boost::json::object expected_status(std::string_view state, std::int64_t recipients,
                                    std::int64_t delivered, std::int64_t read);

// The user ids of a JSON array, sorted, e.g. "read_by" of messages.receipts.
std::vector<std::int64_t> sorted_ids(const boost::json::array& ids);

// ---- typing and presence ------------------------------------------------------------------

// True for a `typing` event of this room about this user saying `typing`.
bool is_typing(const Event& event, std::int64_t room_id, std::int64_t user_id, bool typing);

// True for a `presence` event about this user.
bool is_presence_of(const Event& event, std::int64_t user_id);

// The entry of this user in a presence.snapshot's "users", if listed.
std::optional<boost::json::object> snapshot_entry(const Event& snapshot, std::int64_t user_id);

// How many entries of a presence.snapshot's "users" are about this user.
std::size_t snapshot_count(const Event& snapshot, std::int64_t user_id);

// The sorted keys of a JSON object, to compare the shapes of two events.
std::vector<std::string> keys_of(const boost::json::object& o);

// A WebSocket connection that, once upgraded, is never read from: the client never answers the
// server's pings, as a device that vanished without closing its connection. Upgraded with
// ?token=, so it is authenticated by the handshake itself. Plain POSIX socket: no library that
// could answer pings behind the test's back.
class SilentWsConnection {
 public:
  // Throws when the connection or the upgrade fails.
  SilentWsConnection(int port, std::string_view access_token);
  ~SilentWsConnection();
  SilentWsConnection(const SilentWsConnection&) = delete;
  SilentWsConnection& operator=(const SilentWsConnection&) = delete;

  // Waits (bounded) until the server ends the connection: reads and discards the raw bytes it
  // sent (which answers nothing) until the end of the stream or a reset. True when the server
  // ended it within `wait`.
  bool wait_closed_by_server(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
};

}  // namespace parley::test
