// The server API, as the app's backend uses it with an API key: users upserted by the id of the
// app's identity provider (the same user its tokens sign in), direct rooms and groups with
// roles, members added, removed and promoted, messages sent as a user or a bot (live to
// connected clients, stored once however often repeated), history paged, presence read, and a
// user's logins ended with their connections closed, and search as one user.
#include "support/api_key_cli.hpp"
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/jwt_minter.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kAppSecret = "the-app-providers-shared-secret-of-at-least-32-bytes";

class ServerApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = std::make_unique<TestServer>(std::vector<std::string>{"--app-jwt-secret", std::string(kAppSecret)});
    key = create_api_key(*server, "backend").key;
  }
  static void TearDownTestSuite() { server.reset(); }

  static HttpResponse call(std::string_view method, std::string_view target, const json::object& body = {}) {
    if (body.empty()) return http_request(server->port(), method, target, {}, key);
    return http_json(server->port(), method, target, body, key);
  }

  // POST /v1/server/users; requires success and returns the user.
  static json::object upsert(const json::object& body) {
    HttpResponse res = call("POST", "/v1/server/users", body);
    if (res.status != 200) throw std::runtime_error("upsert: " + res.body);
    return get_obj(res.object(), "user");
  }

  static json::object send_as(std::int64_t sender, std::int64_t room, std::string_view text, std::string_view client_id) {
    HttpResponse res = call("POST", "/v1/server/rooms/" + std::to_string(room) + "/messages",
                            {{"sender_id", sender}, {"client_msg_id", client_id}, {"text", text}});
    if (res.status != 200) throw std::runtime_error("send: " + res.body);
    return res.object();
  }

  static std::string app_token(std::string_view subject) {
    const std::int64_t now = unix_now();
    return mint_hmac({{"alg", "HS256"}, {"typ", "JWT"}}, {{"sub", subject}, {"iat", now}, {"exp", now + 3600}}, kAppSecret);
  }

  static inline std::unique_ptr<TestServer> server;
  static inline std::string key;
};

TEST_F(ServerApiTest, UpsertIsIdempotentAndIsTheUserTheAppsTokensSignIn) {
  const std::string external_id = "idp|" + unique_username("ada");
  HttpResponse first = call("POST", "/v1/server/users",
                            {{"external_id", external_id}, {"username", "ada.lovelace"}, {"display_name", "Ada"}});
  ASSERT_TRUE(is_http_ok(first));
  EXPECT_TRUE(get_bool(first.object(), "created"));
  const json::object& created = get_obj(first.object(), "user");
  const std::int64_t id = get_int(created, "id");
  EXPECT_EQ(get_str(created, "external_id"), external_id);

  HttpResponse again = call("POST", "/v1/server/users", {{"external_id", external_id}, {"display_name", "Ada Lovelace"}});
  ASSERT_TRUE(is_http_ok(again));
  EXPECT_FALSE(get_bool(again.object(), "created"));
  EXPECT_EQ(get_int(get_obj(again.object(), "user"), "id"), id);
  EXPECT_EQ(get_str(get_obj(again.object(), "user"), "display_name"), "Ada Lovelace");
  EXPECT_EQ(get_str(get_obj(again.object(), "user"), "username"), get_str(created, "username"));

  // The app's token for the same person signs in that very user.
  HttpResponse me = http_request(server->port(), "GET", "/v1/me", {}, app_token(external_id));
  ASSERT_TRUE(is_http_ok(me));
  EXPECT_EQ(get_int(me.object(), "id"), id);
  EXPECT_EQ(get_str(me.object(), "display_name"), "Ada Lovelace");
  // Clients are not shown the provider's id.
  EXPECT_FALSE(me.object().contains("external_id"));
}

TEST_F(ServerApiTest, AUserFirstSignedInByTokenIsFoundByUpsert) {
  const std::string external_id = "idp|" + unique_username("grace");
  HttpResponse me = http_request(server->port(), "GET", "/v1/me", {}, app_token(external_id));
  ASSERT_TRUE(is_http_ok(me));
  HttpResponse res = call("POST", "/v1/server/users", {{"external_id", external_id}});
  ASSERT_TRUE(is_http_ok(res));
  EXPECT_FALSE(get_bool(res.object(), "created"));
  EXPECT_EQ(get_int(get_obj(res.object(), "user"), "id"), get_int(me.object(), "id"));
}

TEST_F(ServerApiTest, UpsertRefusesBadInput) {
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/users", {{"username", "nobody"}}), 400, "invalid_payload"));
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/users", {{"external_id", ""}}), 400, "invalid_payload"));
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/users", {{"external_id", "x"}, {"bot", "yes"}}), 400, "invalid_payload"));
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/users", {{"external_id", "x"}, {"display_name", "   "}}), 400,
                            "invalid_payload"));
  EXPECT_TRUE(is_http_error(http_request(server->port(), "POST", "/v1/server/users", "{not json", key), 400, "malformed_json"));
  // The server goes on.
  EXPECT_TRUE(is_http_ok(call("POST", "/v1/server/users", {{"external_id", "idp|" + unique_username("ok")}})));
}

TEST_F(ServerApiTest, ADirectRoomAskedForAgainIsTheSameRoom) {
  const std::int64_t a = get_int(upsert({{"external_id", unique_username("a")}}), "id");
  const std::int64_t b = get_int(upsert({{"external_id", unique_username("b")}}), "id");
  HttpResponse first = call("POST", "/v1/server/rooms/direct", {{"user_id", a}, {"peer_id", b}});
  ASSERT_TRUE(is_http_ok(first));
  EXPECT_TRUE(get_bool(first.object(), "created"));
  const std::int64_t room = get_int(get_obj(first.object(), "room"), "id");
  // From either side.
  HttpResponse again = call("POST", "/v1/server/rooms/direct", {{"user_id", b}, {"peer_id", a}});
  ASSERT_TRUE(is_http_ok(again));
  EXPECT_FALSE(get_bool(again.object(), "created"));
  EXPECT_EQ(get_int(get_obj(again.object(), "room"), "id"), room);
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/rooms/direct", {{"user_id", a}, {"peer_id", 987654321}}), 404, "not_found"));
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/rooms/direct", {{"user_id", a}, {"peer_id", a}}), 409, "conflict"));
  // Acting as a user that does not exist: "no such user", never the store's own words.
  HttpResponse nobody = call("POST", "/v1/server/rooms/direct", {{"user_id", 987654321}, {"peer_id", a}});
  EXPECT_TRUE(is_http_error(nobody, 404, "not_found"));
  EXPECT_EQ(get_str(get_obj(nobody.object(), "error"), "message"), "no such user");
}

std::string role_of(const json::array& members, std::int64_t user) {
  for (const auto& m : members)
    if (get_int(as_obj(m), "user_id") == user) return get_str(as_obj(m), "role");
  return "";
}

TEST_F(ServerApiTest, AGroupIsMadeWithMembersAndRolesThenChanged) {
  const std::int64_t owner = get_int(upsert({{"external_id", unique_username("owner")}}), "id");
  const std::int64_t deputy = get_int(upsert({{"external_id", unique_username("deputy")}}), "id");
  const std::int64_t member = get_int(upsert({{"external_id", unique_username("member")}}), "id");
  const std::int64_t late = get_int(upsert({{"external_id", unique_username("late")}}), "id");
  HttpResponse made = call("POST", "/v1/server/rooms",
                           {{"name", "Launch"},
                            {"creator_id", owner},
                            {"members", json::array{json::object{{"user_id", deputy}, {"role", "admin"}},
                                                    json::object{{"user_id", member}}}}});
  ASSERT_TRUE(is_http_ok(made, 201));
  const std::int64_t room = get_int(get_obj(made.object(), "room"), "id");
  const json::array& members = get_arr(made.object(), "members");
  EXPECT_EQ(members.size(), 3u);
  EXPECT_EQ(role_of(members, owner), "admin");
  EXPECT_EQ(role_of(members, deputy), "admin");
  EXPECT_EQ(role_of(members, member), "member");
  // Made in one step: the room holds its creation notice and nothing else (no promotion after it).
  EXPECT_EQ(get_int(get_obj(made.object(), "room"), "last_seq"), 1);
  json::array crowd;
  for (int i = 0; i < 257; ++i) crowd.push_back(json::object{{"user_id", 1000000 + i}});
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/rooms", {{"name", "Crowd"}, {"creator_id", owner}, {"members", crowd}}),
                            400, "invalid_payload"));
  HttpResponse nobody = call("POST", "/v1/server/rooms", {{"name", "Ghosts"}, {"creator_id", 987654321}});
  EXPECT_TRUE(is_http_error(nobody, 404, "not_found"));
  EXPECT_EQ(get_str(get_obj(nobody.object(), "error"), "message"), "no such user");

  const std::string base = "/v1/server/rooms/" + std::to_string(room) + "/members";
  // The deputy, an admin, adds someone; a plain member may not.
  EXPECT_TRUE(is_http_error(call("POST", base, {{"as_user_id", member}, {"user_id", late}}), 403, "forbidden"));
  HttpResponse added = call("POST", base, {{"as_user_id", deputy}, {"user_id", late}, {"role", "member"}});
  ASSERT_TRUE(is_http_ok(added));
  EXPECT_EQ(get_str(added.object(), "role"), "member");
  HttpResponse promoted = call("PATCH", base + "/" + std::to_string(late), {{"as_user_id", owner}, {"role", "admin"}});
  ASSERT_TRUE(is_http_ok(promoted));
  EXPECT_EQ(get_str(promoted.object(), "role"), "admin");
  ASSERT_TRUE(is_http_ok(call("DELETE", base + "/" + std::to_string(member) + "?as_user_id=" + std::to_string(owner))));
  EXPECT_TRUE(is_http_error(call("DELETE", base + "/" + std::to_string(member) + "?as_user_id=" + std::to_string(owner)),
                            404, "not_found"));
  EXPECT_TRUE(is_http_error(call("PATCH", base + "/" + std::to_string(late), {{"as_user_id", owner}, {"role", "boss"}}),
                            400, "invalid_payload"));
}

TEST_F(ServerApiTest, ABotsMessageReachesAConnectedClientLiveAndIsStoredOnce) {
  Account alice = register_user(*server, "alice");
  const json::object bot = upsert({{"external_id", "bot|" + unique_username("support")}, {"username", "support-bot"}, {"bot", true}});
  EXPECT_TRUE(get_bool(bot, "bot"));
  const std::int64_t bot_id = get_int(bot, "id");
  WsClient ws = connect(*server, alice);

  HttpResponse made = call("POST", "/v1/server/rooms", {{"name", "Support"}, {"creator_id", alice.id},
                                                         {"members", json::array{json::object{{"user_id", bot_id}}}}});
  ASSERT_TRUE(is_http_ok(made, 201));
  const std::int64_t room = get_int(get_obj(made.object(), "room"), "id");
  wait_room_event(ws, "room.joined", room);

  json::object first = send_as(bot_id, room, "How can I help?", "greeting-1");
  EXPECT_FALSE(get_bool(first, "duplicate"));
  const json::object live = wait_message(ws, room, "greeting-1");
  EXPECT_EQ(get_int(live, "sender_id"), bot_id);
  EXPECT_EQ(get_str(live, "text"), "How can I help?");

  json::object repeat = send_as(bot_id, room, "How can I help?", "greeting-1");
  EXPECT_TRUE(get_bool(repeat, "duplicate"));
  EXPECT_EQ(get_int(get_obj(repeat, "message"), "id"), get_int(get_obj(first, "message"), "id"));
  EXPECT_EQ(get_int(get_obj(repeat, "message"), "seq"), get_int(get_obj(first, "message"), "seq"));

  std::vector<json::object> history = fetch_history(ws, room);
  int copies = 0;
  for (const auto& m : history)
    if (m.contains("client_msg_id") && get_str(m, "client_msg_id") == "greeting-1") ++copies;
  EXPECT_EQ(copies, 1);
  // Clients see the bot as one.
  HttpResponse profile = http_request(server->port(), "GET", "/v1/users/" + get_str(bot, "username"), {}, alice.access_token);
  ASSERT_TRUE(is_http_ok(profile));
  EXPECT_TRUE(get_bool(profile.object(), "bot"));

  // Text over 16 KiB is refused as it is from a client.
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/rooms/" + std::to_string(room) + "/messages",
                                 {{"sender_id", bot_id}, {"client_msg_id", "long"}, {"text", std::string(16 * 1024 + 1, 'a')}}),
                            413, "payload_too_large"));
  // A sender who is not in the room is refused as a user would be.
  const std::int64_t outsider = get_int(upsert({{"external_id", unique_username("outsider")}}), "id");
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/rooms/" + std::to_string(room) + "/messages",
                                 {{"sender_id", outsider}, {"client_msg_id", "x"}, {"text", "hi"}}),
                            404, "not_found"));
}

TEST_F(ServerApiTest, HistoryPagesBackwardsByCursor) {
  const std::int64_t a = get_int(upsert({{"external_id", unique_username("pager")}}), "id");
  const std::int64_t b = get_int(upsert({{"external_id", unique_username("reader")}}), "id");
  HttpResponse direct = call("POST", "/v1/server/rooms/direct", {{"user_id", a}, {"peer_id", b}});
  ASSERT_TRUE(is_http_ok(direct));
  const std::int64_t room = get_int(get_obj(direct.object(), "room"), "id");
  for (int i = 0; i < 5; ++i) send_as(a, room, "message " + std::to_string(i), "page-" + std::to_string(i));

  std::vector<std::string> seen;
  std::int64_t before = 0;
  for (int pages = 0; pages < 10; ++pages) {
    std::string target = "/v1/server/rooms/" + std::to_string(room) + "/messages?as_user_id=" + std::to_string(b) + "&limit=2";
    if (before > 0) target += "&before=" + std::to_string(before);
    HttpResponse page = call("GET", target);
    ASSERT_TRUE(is_http_ok(page));
    const json::array& messages = get_arr(page.object(), "messages");
    EXPECT_LE(messages.size(), 2u);
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) seen.push_back(get_str(as_obj(*it), "text"));
    if (!get_bool(page.object(), "has_more")) break;
    before = get_int(page.object(), "next_before");
  }
  ASSERT_EQ(seen.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(seen[4 - i], "message " + std::to_string(i));
  EXPECT_TRUE(is_http_error(call("GET", "/v1/server/rooms/" + std::to_string(room) + "/messages"), 400, "invalid_payload"));
  const std::string as_reader = "/v1/server/rooms/" + std::to_string(room) + "/messages?as_user_id=" + std::to_string(b);
  EXPECT_TRUE(is_http_error(call("GET", as_reader + "&limit=0"), 400, "invalid_payload"));
  EXPECT_TRUE(is_http_error(call("GET", as_reader + "&limit=101"), 400, "invalid_payload"));
}

// The backend searches as one user: that user's rooms and no other's, as messages.search would.
TEST_F(ServerApiTest, SearchFindsOnlyTheRoomsOfTheUserItActsAs) {
  const std::string word = "zebra" + std::to_string(unix_now() % 100000);
  const std::int64_t a = get_int(upsert({{"external_id", unique_username("finder")}}), "id");
  const std::int64_t b = get_int(upsert({{"external_id", unique_username("finder")}}), "id");
  const std::int64_t c = get_int(upsert({{"external_id", unique_username("finder")}}), "id");
  auto direct = [&](std::int64_t user, std::int64_t peer) {
    HttpResponse res = call("POST", "/v1/server/rooms/direct", {{"user_id", user}, {"peer_id", peer}});
    if (!is_http_ok(res)) throw std::runtime_error("direct: " + res.body);
    return get_int(get_obj(res.object(), "room"), "id");
  };
  const std::int64_t ab = direct(a, b);
  const std::int64_t ac = direct(a, c);
  send_as(a, ab, "the " + word + " report for bob", "find-ab");
  send_as(c, ac, word + " crossing, says carol", "find-ac");

  auto rooms_found = [&](std::int64_t as, const std::string& extra) {
    HttpResponse res = call("GET", "/v1/server/search?as_user_id=" + std::to_string(as) + "&query=" + word + extra);
    if (!is_http_ok(res)) throw std::runtime_error("search: " + res.body);
    std::multiset<std::int64_t> rooms;
    for (const auto& r : get_arr(res.object(), "results")) {
      rooms.insert(get_int(as_obj(r), "room_id"));
      EXPECT_NE(get_str(as_obj(r), "snippet").find(word), std::string::npos);
    }
    return rooms;
  };
  EXPECT_EQ(rooms_found(a, ""), (std::multiset<std::int64_t>{ab, ac}));
  EXPECT_EQ(rooms_found(b, ""), (std::multiset<std::int64_t>{ab}));
  EXPECT_EQ(rooms_found(c, ""), (std::multiset<std::int64_t>{ac}));
  EXPECT_EQ(rooms_found(a, "&room_id=" + std::to_string(ac)), (std::multiset<std::int64_t>{ac}));

  EXPECT_TRUE(is_http_error(call("GET", "/v1/server/search?as_user_id=" + std::to_string(b) + "&query=" + word +
                                            "&room_id=" + std::to_string(ac)),
                            404, "not_found"));
  EXPECT_TRUE(is_http_error(call("GET", "/v1/server/search?query=" + word), 400, "invalid_payload"));
  EXPECT_TRUE(is_http_error(call("GET", "/v1/server/search?as_user_id=" + std::to_string(a) + "&query=%20"), 400,
                            "invalid_payload"));
  EXPECT_TRUE(is_http_error(http_request(server->port(), "GET", "/v1/server/search?as_user_id=" + std::to_string(a) +
                                                                    "&query=" + word, {}, "not-a-key"),
                            401, "unauthorized"));
}

TEST_F(ServerApiTest, PresenceShowsWhoIsConnected) {
  Account online = register_user(*server, "online");
  Account offline = register_user(*server, "offline");
  WsClient ws = connect(*server, online);
  // Sent once the connection counts as online.
  ws.next_event("presence.snapshot");
  HttpResponse res = call("GET", "/v1/server/presence?user_ids=" + std::to_string(online.id) + "," + std::to_string(offline.id));
  ASSERT_TRUE(is_http_ok(res));
  const json::array& presence = get_arr(res.object(), "presence");
  ASSERT_EQ(presence.size(), 2u);
  EXPECT_EQ(get_int(as_obj(presence[0]), "user_id"), online.id);
  EXPECT_TRUE(get_bool(as_obj(presence[0]), "online"));
  EXPECT_EQ(get_int(as_obj(presence[1]), "user_id"), offline.id);
  EXPECT_FALSE(get_bool(as_obj(presence[1]), "online"));
  EXPECT_TRUE(is_http_error(call("GET", "/v1/server/presence?user_ids=987654321"), 404, "not_found"));
  EXPECT_TRUE(is_http_error(call("GET", "/v1/server/presence?user_ids=1,x"), 400, "invalid_payload"));
}

TEST_F(ServerApiTest, RevokingAUsersLoginsClosesTheirConnections) {
  Account alice = register_user(*server, "alice");
  Account laptop = login(*server, alice.username);
  WsClient phone_ws = connect(*server, alice);
  WsClient laptop_ws = connect(*server, laptop);
  // A user of the app's tokens, connected with one.
  const std::string external_id = "idp|" + unique_username("carol");
  const std::int64_t carol = get_int(upsert({{"external_id", external_id}}), "id");
  WsClient carol_ws(server->port());
  ASSERT_TRUE(is_ok(carol_ws.auth(app_token(external_id))));
  Account bob = register_user(*server, "bob");
  WsClient bob_ws = connect(*server, bob);

  ASSERT_TRUE(is_http_ok(call("POST", "/v1/server/users/" + std::to_string(alice.id) + "/revoke")));
  EXPECT_EQ(phone_ws.wait_closed(), 4003);
  EXPECT_EQ(laptop_ws.wait_closed(), 4003);
  EXPECT_TRUE(is_http_error(http_request(server->port(), "GET", "/v1/me", {}, alice.access_token), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(http_json(server->port(), "POST", "/v1/auth/refresh", {{"refresh_token", laptop.refresh_token}}),
                            401, "invalid_credentials"));

  ASSERT_TRUE(is_http_ok(call("POST", "/v1/server/users/" + std::to_string(carol) + "/revoke")));
  EXPECT_EQ(carol_ws.wait_closed(), 4003);

  // Nobody else is touched.
  EXPECT_TRUE(bob_ws.request("ping").ok());
  EXPECT_TRUE(is_http_error(call("POST", "/v1/server/users/987654321/revoke"), 404, "not_found"));
}

}  // namespace
}  // namespace parley::test
