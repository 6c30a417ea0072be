#include "support/fixtures.hpp"

#include <atomic>
#include <deque>
#include <stdexcept>
#include <utility>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr int kHistoryPage = 100;  // the protocol's largest page

Account account_from(const HttpResponse& res, std::string_view password) {
  const json::object& body = res.object();
  Account account;
  account.user = get_obj(body, "user");
  account.id = get_int(account.user, "id");
  account.username = get_str(account.user, "username");
  account.password = std::string(password);
  account.access_token = get_str(body, "access_token");
  account.refresh_token = get_str(body, "refresh_token");
  return account;
}

}  // namespace

std::string unique_username(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "_" + std::to_string(++counter);
}

Account register_user(const TestServer& server, std::string_view prefix, std::string_view password) {
  const std::string username = unique_username(prefix);
  HttpResponse res = http_json(server.port(), "POST", "/v1/auth/register",
                               {{"username", username}, {"password", password}});
  if (res.status != 201)
    throw std::runtime_error("registering " + username + ": HTTP " + std::to_string(res.status) +
                             " " + res.body);
  return account_from(res, password);
}

Account login(const TestServer& server, std::string_view username, std::string_view password) {
  HttpResponse res = http_json(server.port(), "POST", "/v1/auth/login",
                               {{"username", username}, {"password", password}});
  if (res.status != 200)
    throw std::runtime_error("logging in " + std::string(username) + ": HTTP " +
                             std::to_string(res.status) + " " + res.body);
  return account_from(res, password);
}

WsClient connect(const TestServer& server, const Account& account) {
  WsClient ws(server.port());
  require_ok(ws.auth(account.access_token), "auth of " + account.username);
  return ws;
}

json::object require_ok(const WsReply& reply, std::string_view what) {
  if (!reply.ok()) throw std::runtime_error(std::string(what) + " failed: " + reply.dump());
  return reply.data();
}

std::int64_t create_group(WsClient& ws, std::string_view name, const std::vector<std::int64_t>& members) {
  json::array ids;
  for (auto id : members) ids.push_back(id);
  WsReply reply = ws.request("rooms.create", {{"name", name}, {"members", std::move(ids)}});
  return get_int(require_ok(reply, "rooms.create"), "id");
}

std::int64_t direct_room(WsClient& ws, std::int64_t peer_id) {
  WsReply reply = ws.request("rooms.direct", {{"user_id", peer_id}});
  return get_int(get_obj(require_ok(reply, "rooms.direct"), "room"), "id");
}

json::object send_text(WsClient& ws, std::int64_t room_id, std::string_view text,
                       std::string_view client_msg_id) {
  WsReply reply = ws.request("messages.send", {{"room_id", room_id},
                                               {"client_msg_id", client_msg_id},
                                               {"type", "text"},
                                               {"text", text}});
  return get_obj(require_ok(reply, "messages.send " + std::string(client_msg_id)), "message");
}

std::vector<json::object> send_texts_pipelined(WsClient& ws, std::int64_t room_id,
                                               std::string_view prefix, int count, int window) {
  std::vector<json::object> stored;
  std::deque<json::value> in_flight;
  auto collect_oldest = [&] {
    WsReply reply = ws.wait_reply(in_flight.front());
    in_flight.pop_front();
    stored.push_back(get_obj(require_ok(reply, "pipelined messages.send"), "message"));
  };
  for (int i = 0; i < count; ++i) {
    if (static_cast<int>(in_flight.size()) >= window) collect_oldest();
    const std::string id = std::string(prefix) + "-" + std::to_string(i);
    in_flight.push_back(ws.send_request("messages.send", {{"room_id", room_id},
                                                          {"client_msg_id", id},
                                                          {"type", "text"},
                                                          {"text", "message " + id}}));
  }
  while (!in_flight.empty()) collect_oldest();
  return stored;
}

json::object without_status(json::object message) {
  message.erase("status");
  return message;
}

bool carries_message(const Event& event, std::int64_t room_id, std::string_view client_msg_id) {
  if (event.name != "message") return false;
  const json::value* message = event.data.if_contains("message");
  if (!message || !message->is_object()) return false;
  const json::object& m = message->get_object();
  const json::value* room = m.if_contains("room_id");
  const json::value* cid = m.if_contains("client_msg_id");
  return room && *room == room_id && cid && cid->is_string() && cid->get_string() == client_msg_id;
}

json::object wait_message(WsClient& ws, std::int64_t room_id, std::string_view client_msg_id) {
  Event event = ws.wait_event([&](const Event& e) { return carries_message(e, room_id, client_msg_id); });
  return get_obj(event.data, "message");
}

bool is_room_event(const Event& event, std::string_view name, std::int64_t room_id) {
  if (event.name != name) return false;
  if (const json::value* id = event.data.if_contains("room_id")) return *id == room_id;
  const json::value* room = event.data.if_contains("room");
  if (!room || !room->is_object()) return false;
  const json::value* id = room->get_object().if_contains("id");
  return id && *id == room_id;
}

Event wait_room_event(WsClient& ws, std::string_view name, std::int64_t room_id) {
  return ws.wait_event([&](const Event& e) { return is_room_event(e, name, room_id); });
}

std::vector<json::object> fetch_history(WsClient& ws, std::int64_t room_id) {
  std::deque<json::object> all;
  std::int64_t before = 0;
  // Each page must move `before` down; the bound only stops a server that loops.
  for (int page = 0; page < 100000; ++page) {
    json::object params{{"room_id", room_id}, {"limit", kHistoryPage}};
    if (before > 0) params["before"] = before;
    const json::object& data = require_ok(ws.request("messages.history", std::move(params)),
                                          "messages.history");
    const json::array& messages = get_arr(data, "messages");
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) all.push_front(as_obj(*it));
    if (!get_bool(data, "has_more")) return {all.begin(), all.end()};
    const std::int64_t next = get_int(data, "next_before");
    if (before > 0 && next >= before)
      throw std::runtime_error("messages.history next_before does not move backwards: " +
                               json::serialize(data));
    before = next;
  }
  throw std::runtime_error("messages.history never reached the oldest message");
}

std::vector<json::object> fetch_history_http(const TestServer& server, const Account& account,
                                             std::int64_t room_id) {
  std::deque<json::object> all;
  std::int64_t before = 0;
  for (int page = 0; page < 100000; ++page) {
    std::string target = "/v1/rooms/" + std::to_string(room_id) +
                         "/messages?limit=" + std::to_string(kHistoryPage);
    if (before > 0) target += "&before=" + std::to_string(before);
    HttpResponse res = http_request(server.port(), "GET", target, {}, account.access_token);
    if (res.status != 200)
      throw std::runtime_error("GET " + target + ": HTTP " + std::to_string(res.status) + " " + res.body);
    const json::object& data = res.object();
    const json::array& messages = get_arr(data, "messages");
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) all.push_front(as_obj(*it));
    if (!get_bool(data, "has_more")) return {all.begin(), all.end()};
    const std::int64_t next = get_int(data, "next_before");
    if (before > 0 && next >= before)
      throw std::runtime_error("GET " + target + ": next_before does not move backwards: " + res.body);
    before = next;
  }
  throw std::runtime_error("history over HTTP never reached the oldest message");
}

std::optional<json::object> find_member(WsClient& ws, std::int64_t room_id, std::int64_t user_id) {
  const json::object& data = require_ok(ws.request("members.list", {{"room_id", room_id}}), "members.list");
  for (const auto& m : get_arr(data, "members")) {
    if (get_int(as_obj(m), "user_id") == user_id) return as_obj(m);
  }
  return std::nullopt;
}

std::vector<json::object> system_messages(const std::vector<json::object>& history,
                                          std::string_view event) {
  std::vector<json::object> found;
  for (const auto& m : history) {
    const json::value* type = m.if_contains("type");
    const json::value* system = m.if_contains("system");
    if (!type || *type != "system" || !system || !system->is_object()) continue;
    const json::value* name = system->get_object().if_contains("event");
    if (name && name->is_string() && name->get_string() == event) found.push_back(m);
  }
  return found;
}

}  // namespace parley::test
