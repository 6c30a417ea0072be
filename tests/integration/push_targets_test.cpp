// Push targets, per-room mute and the push_text setting, over the WebSocket and HTTP: what a
// device registers, lists and removes; the checks on each kind; the per-user limit; a device
// registering the same key again (or under another account) updates its one target.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::test {
namespace {

namespace json = boost::json;

// A PushSubscription's keys as a browser gives them: base64url of a 65-byte P-256 point
// (0x04 first) and of a 16-byte secret (RFC 8291's example subscription).
constexpr std::string_view kP256dh =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view kAuth = "BTBZMqHH6r4Tts7J_aSIgg";

json::object gateway_target(std::string_view pushkey) {
  return {{"kind", "http"},
          {"url", "https://push.example/_matrix/push/v1/notify"},
          {"app_id", "com.example.chat"},
          {"pushkey", pushkey}};
}

json::object browser_target(std::string_view endpoint) {
  return {{"kind", "webpush"}, {"endpoint", endpoint}, {"p256dh", kP256dh}, {"auth", kAuth}};
}

class PushTargetsTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
};

TEST_F(PushTargetsTest, ADeviceRegistersListsAndRemovesItsTargets) {
  WsClient ws = connect(server, alice);
  const json::object phone = require_ok(ws.request("push.register", gateway_target("phone-token")), "push.register");
  EXPECT_GT(get_int(phone, "id"), 0);
  EXPECT_EQ(get_str(phone, "kind"), "http");
  EXPECT_EQ(get_str(phone, "app_id"), "com.example.chat");
  EXPECT_EQ(get_str(phone, "pushkey"), "phone-token");
  EXPECT_EQ(get_str(phone, "url"), "https://push.example/_matrix/push/v1/notify");

  HttpResponse browser =
      http_json(server.port(), "POST", "/v1/push/targets", browser_target("https://fcm.googleapis.com/fcm/send/abc"),
                alice.access_token);
  ASSERT_TRUE(is_http_ok(browser)) << browser.body;
  EXPECT_EQ(get_str(browser.object(), "kind"), "webpush");
  EXPECT_EQ(get_str(browser.object(), "endpoint"), "https://fcm.googleapis.com/fcm/send/abc");
  // The browser's keys are never read back.
  EXPECT_FALSE(browser.object().contains("auth"));
  EXPECT_FALSE(browser.object().contains("p256dh"));

  const json::object listed = require_ok(ws.request("push.list"), "push.list");
  const auto& targets = get_arr(listed, "targets");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].as_object(), phone);
  EXPECT_EQ(get_int(targets[1].as_object(), "id"), get_int(browser.object(), "id"));
  // Nobody else's list holds them.
  WsClient bob_ws = connect(server, bob);
  EXPECT_TRUE(get_arr(require_ok(bob_ws.request("push.list"), "push.list"), "targets").empty());
  EXPECT_TRUE(is_error(bob_ws.request("push.remove", {{"target_id", get_int(phone, "id")}}), "not_found"));

  ASSERT_TRUE(is_ok(ws.request("push.remove", {{"target_id", get_int(phone, "id")}})));
  HttpResponse removed = http_request(server.port(), "DELETE",
                                      "/v1/push/targets/" + std::to_string(get_int(browser.object(), "id")), {},
                                      alice.access_token);
  ASSERT_TRUE(is_http_ok(removed)) << removed.body;
  HttpResponse empty = http_request(server.port(), "GET", "/v1/push/targets", {}, alice.access_token);
  ASSERT_TRUE(is_http_ok(empty));
  EXPECT_TRUE(get_arr(empty.object(), "targets").empty());
  EXPECT_TRUE(is_error(ws.request("push.remove", {{"target_id", get_int(phone, "id")}}), "not_found"));
}

TEST_F(PushTargetsTest, TheSameKeyAgainUpdatesTheOneTargetAndMovesItToTheNewAccount) {
  WsClient ws = connect(server, alice);
  const json::object first = require_ok(ws.request("push.register", gateway_target("token-1")), "push.register");
  json::object moved = gateway_target("token-1");
  moved["url"] = "https://other.example/_matrix/push/v1/notify";
  const json::object again = require_ok(ws.request("push.register", moved), "push.register");
  EXPECT_EQ(get_int(again, "id"), get_int(first, "id"));
  EXPECT_EQ(get_str(again, "url"), "https://other.example/_matrix/push/v1/notify");
  EXPECT_EQ(get_arr(require_ok(ws.request("push.list"), "push.list"), "targets").size(), 1u);

  // The phone signed in as bob: the token wakes bob's account now, not alice's.
  WsClient bob_ws = connect(server, bob);
  const json::object taken = require_ok(bob_ws.request("push.register", gateway_target("token-1")), "push.register");
  EXPECT_EQ(get_int(taken, "id"), get_int(first, "id"));
  EXPECT_TRUE(get_arr(require_ok(ws.request("push.list"), "push.list"), "targets").empty());
  EXPECT_EQ(get_arr(require_ok(bob_ws.request("push.list"), "push.list"), "targets").size(), 1u);
}

TEST_F(PushTargetsTest, EachKindIsCheckedAndABadTargetIsRefused) {
  WsClient ws = connect(server, alice);
  auto refused = [&](json::object target, std::string_view why) {
    EXPECT_TRUE(is_error(ws.request("push.register", std::move(target)), "invalid_payload")) << why;
  };
  refused({{"kind", "sms"}, {"pushkey", "x"}}, "unknown kind");
  refused({{"pushkey", "x"}}, "no kind");
  // One field changed (null: left out) of a target that is otherwise good.
  struct Change {
    bool browser;
    std::string_view field;
    json::value value;
    std::string_view why;
  };
  const std::vector<Change> changes{
      {false, "app_id", nullptr, "http without app_id"},
      {false, "url", "ftp://push.example/notify", "not an http URL"},
      {false, "url", "push.example/notify", "not an absolute URL"},
      {false, "pushkey", json::string(std::string(513, 'k')), "pushkey over 512 bytes"},
      {false, "app_id", json::string(std::string(65, 'a')), "app_id over 64 characters"},
      {true, "endpoint", "http://push.example/sub/1", "a browser's endpoint over plain http"},
      {true, "p256dh", "BCVxsr7N_eNgVRqvHtD0zTZsEc6", "a short key"},
      {true, "p256dh", json::string(std::string(kP256dh).replace(0, 1, "A")), "a key that is not an uncompressed point"},
      {true, "auth", "not base64url!!!!!!!!!", "auth not base64url"},
      {true, "auth", "BTBZMqHH6r4Tts7J_aSI", "auth of 15 bytes"},
      {true, "auth", nullptr, "no auth"},
  };
  for (const auto& change : changes) {
    json::object target = change.browser ? browser_target("https://push.example/sub/1") : gateway_target("t");
    if (change.value.is_null())
      target.erase(change.field);
    else
      target[change.field] = change.value;
    refused(std::move(target), change.why);
  }

  EXPECT_TRUE(is_http_error(http_json(server.port(), "POST", "/v1/push/targets", gateway_target("t"), std::nullopt), 401,
                            "unauthorized"));
  EXPECT_TRUE(get_arr(require_ok(ws.request("push.list"), "push.list"), "targets").empty());
  // Padded keys and a push service on this machine (a deployment's test) are accepted.
  json::object padded = browser_target("http://127.0.0.1:9/sub/1");
  padded["auth"] = std::string(kAuth) + "==";
  EXPECT_TRUE(is_ok(ws.request("push.register", padded)));
}

TEST_F(PushTargetsTest, AUserHasAtMostTwentyTargets) {
  WsClient ws = connect(server, alice);
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(is_ok(ws.request("push.register", gateway_target("token-" + std::to_string(i))))) << i;
  EXPECT_TRUE(is_error(ws.request("push.register", gateway_target("token-20")), "conflict"));
  // Registering one of the twenty again is an update, not a twenty-first.
  EXPECT_TRUE(is_ok(ws.request("push.register", gateway_target("token-3"))));
  const auto targets = get_arr(require_ok(ws.request("push.list"), "push.list"), "targets");
  ASSERT_EQ(targets.size(), 20u);
  ASSERT_TRUE(is_ok(ws.request("push.remove", {{"target_id", get_int(targets[0].as_object(), "id")}})));
  EXPECT_TRUE(is_ok(ws.request("push.register", gateway_target("token-20"))));
}

TEST_F(PushTargetsTest, AMemberMutesARoomAndChoosesToHideMessageText) {
  WsClient ws = connect(server, alice);
  const std::int64_t room = create_group(ws, "Quiet", {bob.id});
  EXPECT_FALSE(get_bool(require_ok(ws.request("rooms.get", {{"room_id", room}}), "rooms.get"), "muted"));
  const json::object muted = require_ok(ws.request("rooms.mute", {{"room_id", room}, {"muted", true}}), "rooms.mute");
  EXPECT_EQ(get_int(muted, "room_id"), room);
  EXPECT_TRUE(get_bool(muted, "muted"));
  EXPECT_TRUE(get_bool(require_ok(ws.request("rooms.get", {{"room_id", room}}), "rooms.get"), "muted"));
  // It is alice's mute alone.
  WsClient bob_ws = connect(server, bob);
  EXPECT_FALSE(get_bool(require_ok(bob_ws.request("rooms.get", {{"room_id", room}}), "rooms.get"), "muted"));
  HttpResponse unmuted = http_json(server.port(), "PUT", "/v1/rooms/" + std::to_string(room) + "/mute",
                                   {{"muted", false}}, alice.access_token);
  ASSERT_TRUE(is_http_ok(unmuted)) << unmuted.body;
  EXPECT_FALSE(get_bool(require_ok(ws.request("rooms.get", {{"room_id", room}}), "rooms.get"), "muted"));
  EXPECT_TRUE(is_error(ws.request("rooms.mute", {{"room_id", room}, {"muted", "yes"}}), "invalid_payload"));
  EXPECT_TRUE(is_error(ws.request("rooms.mute", {{"room_id", room}}), "invalid_payload"));
  Account carol = register_user(server, "carol");
  WsClient carol_ws = connect(server, carol);
  EXPECT_TRUE(is_error(carol_ws.request("rooms.mute", {{"room_id", room}, {"muted", true}}), "not_found"));

  EXPECT_EQ(get_str(require_ok(ws.request("me"), "me"), "push_text"), "shown");
  const json::object hidden = require_ok(ws.request("me.update", {{"push_text", "hidden"}}), "me.update");
  EXPECT_EQ(get_str(hidden, "push_text"), "hidden");
  EXPECT_EQ(get_str(hidden, "read_receipts"), "everyone");
  EXPECT_TRUE(is_error(ws.request("me.update", {{"push_text", "none"}}), "invalid_payload"));
  HttpResponse me = http_request(server.port(), "GET", "/v1/me", {}, alice.access_token);
  EXPECT_EQ(get_str(me.object(), "push_text"), "hidden");
}

}  // namespace
}  // namespace parley::test
