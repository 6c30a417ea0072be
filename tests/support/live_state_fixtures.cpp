#include "support/live_state_fixtures.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace parley::test {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

std::vector<Event> collect_events(WsClient& ws, const std::function<bool(const Event&)>& match,
                                  std::chrono::milliseconds window) {
  std::vector<Event> found;
  const auto deadline = Clock::now() + window;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    if (auto event = ws.try_wait_event(match, left)) found.push_back(std::move(*event));
    else if (ws.is_closed()) break;  // nothing more can come; try_wait_event returns at once
  }
  // Events that arrived in the last instant, already buffered.
  while (auto event = ws.try_wait_event(match, std::chrono::milliseconds(0))) found.push_back(std::move(*event));
  return found;
}

std::vector<Event> drain_events(WsClient& ws, std::chrono::milliseconds window) {
  return collect_events(ws, [](const Event&) { return true; }, window);
}

std::string describe(const std::vector<Event>& events) {
  constexpr std::size_t kShown = 10;  // a flood of events would bury the rest of the failure
  std::string s;
  for (std::size_t i = 0; i < events.size() && i < kShown; ++i)
    s += "\n  " + events[i].name + " " + json::serialize(events[i].data);
  if (events.size() > kShown) s += "\n  ... " + std::to_string(events.size()) + " events in all";
  return s.empty() ? " (none)" : s;
}

// ---- rooms made before anyone connects ---------------------------------------------------

std::int64_t direct_room_http(const TestServer& server, const Account& caller, std::int64_t peer_id) {
  HttpResponse res = http_json(server.port(), "POST", "/v1/rooms/direct", {{"user_id", peer_id}},
                               caller.access_token);
  if (res.status != 200)
    throw std::runtime_error("POST /v1/rooms/direct: HTTP " + std::to_string(res.status) + " " + res.body);
  return get_int(get_obj(res.object(), "room"), "id");
}

std::int64_t create_group_http(const TestServer& server, const Account& admin, std::string_view name,
                               const std::vector<std::int64_t>& members) {
  json::array ids;
  for (auto id : members) ids.push_back(id);
  HttpResponse res = http_json(server.port(), "POST", "/v1/rooms", {{"name", name}, {"members", std::move(ids)}},
                               admin.access_token);
  if (res.status != 201)
    throw std::runtime_error("POST /v1/rooms: HTTP " + std::to_string(res.status) + " " + res.body);
  return get_int(res.object(), "id");
}

// ---- receipts and message status ----------------------------------------------------------

json::object mark(WsClient& ws, std::int64_t room_id, std::optional<std::int64_t> delivered_seq,
                  std::optional<std::int64_t> read_seq) {
  json::object params{{"room_id", room_id}};
  if (delivered_seq) params["delivered_seq"] = *delivered_seq;
  if (read_seq) params["read_seq"] = *read_seq;
  const std::string what = "receipts.mark " + json::serialize(params);
  return require_ok(ws.request("receipts.mark", std::move(params)), what);
}

json::object receipt_data(std::int64_t room_id, std::int64_t user_id, std::int64_t delivered_seq,
                          std::int64_t read_seq) {
  return {{"room_id", room_id}, {"user_id", user_id}, {"delivered_seq", delivered_seq}, {"read_seq", read_seq}};
}

bool is_receipt_of(const Event& event, std::int64_t room_id, std::int64_t user_id) {
  if (event.name != "receipt") return false;
  const json::value* room = event.data.if_contains("room_id");
  const json::value* user = event.data.if_contains("user_id");
  return room && *room == room_id && user && *user == user_id;
}

Event wait_receipt(WsClient& ws, std::int64_t room_id, std::int64_t user_id) {
  return ws.wait_event([&](const Event& e) { return is_receipt_of(e, room_id, user_id); });
}

namespace {

const json::object& only_message_with_seq(const json::object& page, std::int64_t seq,
                                          std::string_view where) {
  const json::array& messages = get_arr(page, "messages");
  for (const auto& m : messages)
    if (get_int(as_obj(m), "seq") == seq) return as_obj(m);
  throw std::runtime_error(std::string(where) + ": no message with seq " + std::to_string(seq) +
                           " in " + json::serialize(page));
}

const json::object& room_with_id(const json::object& list, std::int64_t room_id, std::string_view where) {
  for (const auto& r : get_arr(list, "rooms"))
    if (get_int(as_obj(r), "id") == room_id) return as_obj(r);
  throw std::runtime_error(std::string(where) + ": room " + std::to_string(room_id) +
                           " is not listed in " + json::serialize(list));
}

}  // namespace

json::object history_message(WsClient& ws, std::int64_t room_id, std::int64_t seq) {
  // `before` is exclusive: the page of one message before seq + 1 is the message seq.
  json::object page = require_ok(
      ws.request("messages.history", {{"room_id", room_id}, {"before", seq + 1}, {"limit", 1}}),
      "messages.history");
  return only_message_with_seq(page, seq, "messages.history");
}

json::object history_message_http(const TestServer& server, const Account& account,
                                  std::int64_t room_id, std::int64_t seq) {
  const std::string target = "/v1/rooms/" + std::to_string(room_id) +
                             "/messages?limit=1&before=" + std::to_string(seq + 1);
  HttpResponse res = http_request(server.port(), "GET", target, {}, account.access_token);
  if (res.status != 200)
    throw std::runtime_error("GET " + target + ": HTTP " + std::to_string(res.status) + " " + res.body);
  return only_message_with_seq(res.object(), seq, "GET " + target);
}

json::object listed_room(WsClient& ws, std::int64_t room_id) {
  json::object list = require_ok(ws.request("rooms.list"), "rooms.list");
  return room_with_id(list, room_id, "rooms.list");
}

json::object listed_room_http(const TestServer& server, const Account& account, std::int64_t room_id) {
  HttpResponse res = http_request(server.port(), "GET", "/v1/rooms", {}, account.access_token);
  if (res.status != 200)
    throw std::runtime_error("GET /v1/rooms: HTTP " + std::to_string(res.status) + " " + res.body);
  return room_with_id(res.object(), room_id, "GET /v1/rooms");
}

json::object expected_status(std::string_view state, std::int64_t recipients, std::int64_t delivered,
                             std::int64_t read) {
  return {{"state", state}, {"recipients", recipients}, {"delivered", delivered}, {"read", read}};
}

std::vector<std::int64_t> sorted_ids(const json::array& ids) {
  std::vector<std::int64_t> out;
  for (const auto& id : ids) {
    if (!id.is_int64()) throw std::runtime_error("expected an array of user ids, got " + json::serialize(ids));
    out.push_back(id.get_int64());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---- typing and presence ------------------------------------------------------------------

bool is_typing(const Event& event, std::int64_t room_id, std::int64_t user_id, bool typing) {
  if (event.name != "typing") return false;
  const json::value* room = event.data.if_contains("room_id");
  const json::value* user = event.data.if_contains("user_id");
  const json::value* flag = event.data.if_contains("typing");
  return room && *room == room_id && user && *user == user_id && flag && flag->is_bool() &&
         flag->get_bool() == typing;
}

bool is_presence_of(const Event& event, std::int64_t user_id) {
  if (event.name != "presence") return false;
  const json::value* user = event.data.if_contains("user_id");
  return user && *user == user_id;
}

std::optional<json::object> snapshot_entry(const Event& snapshot, std::int64_t user_id) {
  for (const auto& p : get_arr(snapshot.data, "users"))
    if (get_int(as_obj(p), "user_id") == user_id) return as_obj(p);
  return std::nullopt;
}

std::size_t snapshot_count(const Event& snapshot, std::int64_t user_id) {
  std::size_t n = 0;
  for (const auto& p : get_arr(snapshot.data, "users"))
    if (get_int(as_obj(p), "user_id") == user_id) ++n;
  return n;
}

std::vector<std::string> keys_of(const json::object& o) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : o) keys.emplace_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// ---- SilentWsConnection -------------------------------------------------------------------

namespace {

constexpr auto kSilentConnectTimeout = std::chrono::seconds(20);

int poll_for(int fd, short events, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return 0;
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, static_cast<int>(left.count()));
  } while (r < 0 && errno == EINTR);
  return r;
}

}  // namespace

SilentWsConnection::SilentWsConnection(int port, std::string_view access_token) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<unsigned short>(port));
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(fd_);
    throw std::runtime_error(std::string("connect: ") + std::strerror(err));
  }

  // A fixed key is fine: the server only needs a well-formed one, and the test does not verify
  // Sec-WebSocket-Accept (the 101 status is proof enough of the upgrade).
  const std::string request = "GET /v1/ws?token=" + std::string(access_token) + " HTTP/1.1\r\n" +
                              "Host: 127.0.0.1:" + std::to_string(port) + "\r\n" +
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd_);
      throw std::runtime_error(std::string("sending the upgrade request: ") + std::strerror(err));
    }
    sent += static_cast<std::size_t>(n);
  }

  // Read the upgrade response byte by byte, so that not one byte of the WebSocket stream that
  // follows it is consumed: after this the socket is never read again.
  std::string response;
  const auto deadline = Clock::now() + kSilentConnectTimeout;
  while (response.find("\r\n\r\n") == std::string::npos) {
    if (poll_for(fd_, POLLIN, deadline) <= 0) {
      ::close(fd_);
      throw std::runtime_error("no complete upgrade response within the bound; got: " + response);
    }
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd_);
      throw std::runtime_error("the server closed the connection during the upgrade; got: " + response);
    }
    response.push_back(c);
  }
  if (!response.starts_with("HTTP/1.1 101")) {
    ::close(fd_);
    throw std::runtime_error("WebSocket upgrade refused: " + response);
  }
}

SilentWsConnection::~SilentWsConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool SilentWsConnection::wait_closed_by_server(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  char buffer[4096];
  for (;;) {
    if (poll_for(fd_, POLLIN, deadline) <= 0) return false;
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n == 0) return true;                   // orderly end of stream
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == ECONNRESET;     // the server dropped it hard
  }
}

}  // namespace parley::test
