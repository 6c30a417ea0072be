// Push notifications through a real parleyd to a push gateway the test starts, which speaks
// Matrix's Push Gateway API (POST /_matrix/push/v1/notify, answered {"rejected": [...]}): one
// notification per target of each member with no connected device; none to the sender, to a
// member with a connected device or to one who muted the room; no text for one who hides it;
// the unread count as badge; a rejected pushkey or a 410 removes its target; a failing gateway
// is retried; a kill -9 loses no notification of an acknowledged message.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/webhook_receiver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;
using Received = WebhookReceiver::Received;
using Mode = WebhookReceiver::Mode;

constexpr std::string_view kAppId = "com.example.chat";

json::object notification(const Received& r) { return get_obj(json::parse(r.body).as_object(), "notification"); }
std::string pushkey_of(const Received& r) {
  return get_str(get_arr(notification(r), "devices")[0].as_object(), "pushkey");
}

// The notifications `pushkey` got that its gateway accepted, in arrival order.
std::vector<json::object> accepted_for(const std::vector<Received>& all, std::string_view pushkey) {
  std::vector<json::object> out;
  for (const auto& r : all)
    if (r.status == 200 && pushkey_of(r) == pushkey) out.push_back(notification(r));
  return out;
}

// A server retrying a failed notification at once (10 ms, then 20 ms at most).
std::vector<std::string> quick_push(int attempts = 1000, int timeout_ms = 10'000) {
  return {"--push-retry-ms", "10", "--push-retry-max-ms", "20", "--push-max-attempts", std::to_string(attempts),
          "--push-timeout-ms", std::to_string(timeout_ms)};
}

void register_target(const TestServer& server, const Account& account, const WebhookReceiver& gateway,
                     std::string_view pushkey) {
  HttpResponse r = http_json(server.port(), "POST", "/v1/push/targets",
                             {{"kind", "http"}, {"url", gateway.url()}, {"app_id", kAppId}, {"pushkey", pushkey}},
                             account.access_token);
  ASSERT_TRUE(is_http_ok(r)) << r.body;
}

// messages.send over HTTP: the sender has no connection open, as a phone in the background.
json::object send_http(const TestServer& server, const Account& sender, std::int64_t room, std::string_view text,
                       std::string_view client_msg_id) {
  HttpResponse r = http_json(server.port(), "POST", "/v1/rooms/" + std::to_string(room) + "/messages",
                             {{"client_msg_id", client_msg_id}, {"type", "text"}, {"text", text}}, sender.access_token);
  if (!is_http_ok(r)) throw std::runtime_error("messages.send: " + r.body);
  return get_obj(r.object(), "message");
}

std::int64_t seq_of(const json::object& n) { return get_int(n, "seq"); }

// alice, connected, and bob, who is not, in a group of their own.
struct TwoMembers {
  explicit TwoMembers(const TestServer& server)
      : alice(register_user(server, "two_alice")),
        bob(register_user(server, "two_bob")),
        alice_ws(connect(server, alice)),
        room(create_group(alice_ws, "Two", {bob.id})) {}
  Account alice;
  Account bob;
  WsClient alice_ws;
  std::int64_t room;
};

TEST(Push, AnOfflineMemberIsNotifiedInTheGatewaysShapeAndTheSenderNever) {
  WebhookReceiver gateway;
  TestServer server(quick_push());
  Account alice = register_user(server, "push_alice");
  Account bob = register_user(server, "push_bob");
  const std::int64_t room = [&] {
    WsClient ws = connect(server, alice);
    return create_group(ws, "Push room", {bob.id});
  }();
  register_target(server, alice, gateway, "alice-phone");
  register_target(server, bob, gateway, "bob-phone");

  const json::object first = send_http(server, alice, room, "Hello bob, are you there?", "p-1");
  ASSERT_TRUE(gateway.wait_until([](const auto& all) { return !accepted_for(all, "bob-phone").empty(); }))
      << server.log();
  const json::object n = accepted_for(gateway.received(), "bob-phone").front();
  EXPECT_EQ(get_str(n, "event_id"), std::to_string(get_int(first, "id")));
  EXPECT_EQ(get_str(n, "room_id"), std::to_string(room));
  EXPECT_EQ(get_str(n, "type"), "m.room.message");
  EXPECT_EQ(get_str(n, "sender"), std::to_string(alice.id));
  EXPECT_EQ(get_str(n, "sender_display_name"), get_str(alice.user, "display_name"));
  EXPECT_EQ(get_str(n, "room_name"), "Push room");
  EXPECT_EQ(get_str(n, "prio"), "high");
  EXPECT_EQ(seq_of(n), get_int(first, "seq"));
  EXPECT_EQ(get_str(get_obj(n, "content"), "body"), "Hello bob, are you there?");
  EXPECT_EQ(get_str(get_obj(n, "content"), "msgtype"), "m.text");
  const json::object& device = get_arr(n, "devices")[0].as_object();
  EXPECT_EQ(get_str(device, "app_id"), kAppId);
  EXPECT_GT(get_int(device, "pushkey_ts"), 0);
  EXPECT_TRUE(device.contains("data"));
  const std::int64_t first_unread = get_int(get_obj(n, "counts"), "unread");
  EXPECT_GE(first_unread, 1);

  // bob answers: alice is notified of his message, and her first notification is that one, so
  // her own message notified her of nothing (a room's notifications to a target go in order).
  const json::object answer = send_http(server, bob, room, "Yes!", "p-2");
  const json::object again = send_http(server, alice, room, "Great", "p-3");
  ASSERT_TRUE(gateway.wait_until([](const auto& all) {
    return !accepted_for(all, "alice-phone").empty() && accepted_for(all, "bob-phone").size() >= 2;
  })) << server.log();
  const auto alices = accepted_for(gateway.received(), "alice-phone");
  EXPECT_EQ(seq_of(alices.front()), get_int(answer, "seq"));
  const auto bobs = accepted_for(gateway.received(), "bob-phone");
  ASSERT_EQ(bobs.size(), 2u);
  EXPECT_EQ(seq_of(bobs[1]), get_int(again, "seq")) << "bob's own message notified him";
  // The badge: bob's unread count in the room, which his own message did not raise.
  EXPECT_EQ(get_int(get_obj(bobs[1], "counts"), "unread"), first_unread + 1);
  HttpResponse summary = http_request(server.port(), "GET", "/v1/rooms/" + std::to_string(room), {}, bob.access_token);
  EXPECT_EQ(get_int(summary.object(), "unread_count"), first_unread + 1);
}

TEST(Push, AConnectedDeviceAMutedRoomAndHiddenTextAreRespected) {
  WebhookReceiver gateway;
  TestServer server(quick_push());
  Account alice = register_user(server, "pm_alice");
  Account bob = register_user(server, "pm_bob");      // connected
  Account carol = register_user(server, "pm_carol");  // muted the room
  Account dave = register_user(server, "pm_dave");    // hides message text
  WsClient alice_ws = connect(server, alice);
  const std::int64_t room = create_group(alice_ws, "Mixed", {bob.id, carol.id, dave.id});
  for (const auto& [account, key] : {std::pair{&bob, "bob-phone"}, {&carol, "carol-phone"}, {&dave, "dave-phone"}})
    register_target(server, *account, gateway, key);
  WsClient bob_ws = connect(server, bob);
  HttpResponse muted = http_json(server.port(), "PUT", "/v1/rooms/" + std::to_string(room) + "/mute", {{"muted", true}},
                                 carol.access_token);
  ASSERT_TRUE(is_http_ok(muted)) << muted.body;
  HttpResponse hidden = http_json(server.port(), "PATCH", "/v1/me", {{"push_text", "hidden"}}, dave.access_token);
  ASSERT_TRUE(is_http_ok(hidden)) << hidden.body;

  send_text(alice_ws, room, "secret plans", "m-1");
  ASSERT_TRUE(gateway.wait_until([](const auto& all) { return !accepted_for(all, "dave-phone").empty(); }))
      << server.log();
  const json::object for_dave = accepted_for(gateway.received(), "dave-phone").front();
  EXPECT_FALSE(for_dave.contains("content")) << json::serialize(for_dave);
  for (const auto& r : gateway.received()) EXPECT_EQ(r.body.find("secret plans"), std::string::npos) << r.body;

  // bob goes away and carol unmutes: the next message reaches both, and it is the first either got.
  bob_ws.close();
  alice_ws.wait_event([&](const Event& e) {
    return e.name == "presence" && get_int(e.data, "user_id") == bob.id && !get_bool(e.data, "online");
  });
  ASSERT_TRUE(is_http_ok(http_json(server.port(), "PUT", "/v1/rooms/" + std::to_string(room) + "/mute",
                                   {{"muted", false}}, carol.access_token)));
  const json::object second = send_text(alice_ws, room, "now everyone", "m-2");
  ASSERT_TRUE(gateway.wait_until([](const auto& all) {
    return !accepted_for(all, "bob-phone").empty() && !accepted_for(all, "carol-phone").empty();
  })) << server.log();
  EXPECT_EQ(seq_of(accepted_for(gateway.received(), "bob-phone").front()), get_int(second, "seq"));
  EXPECT_EQ(seq_of(accepted_for(gateway.received(), "carol-phone").front()), get_int(second, "seq"));
  EXPECT_EQ(get_str(get_obj(accepted_for(gateway.received(), "carol-phone").front(), "content"), "body"),
            "now everyone");
}

// Waits (bounded) until `account` has `count` targets left.
bool targets_left(const TestServer& server, const Account& account, std::size_t count) {
  for (int i = 0; i < 2000; ++i) {
    HttpResponse r = http_request(server.port(), "GET", "/v1/push/targets", {}, account.access_token);
    if (is_http_ok(r) && get_arr(r.object(), "targets").size() == count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(Push, ARejectedPushkeyOrAGoneTargetIsRemovedByItself) {
  WebhookReceiver gateway;
  gateway.set_responder([](const std::string& body) -> std::pair<int, std::string> {
    if (body.find("\"old-phone\"") != std::string::npos) return {200, R"({"rejected":["old-phone"]})"};
    if (body.find("\"gone-phone\"") != std::string::npos) return {410, "gone"};
    return {200, R"({"rejected":[]})"};
  });
  TestServer server(quick_push());
  auto [alice, bob, alice_ws, room] = TwoMembers(server);
  register_target(server, bob, gateway, "old-phone");
  register_target(server, bob, gateway, "gone-phone");
  register_target(server, bob, gateway, "new-phone");
  send_text(alice_ws, room, "who is still there?", "r-1");
  ASSERT_TRUE(targets_left(server, bob, 1)) << server.log();
  HttpResponse left = http_request(server.port(), "GET", "/v1/push/targets", {}, bob.access_token);
  EXPECT_EQ(get_str(get_arr(left.object(), "targets")[0].as_object(), "pushkey"), "new-phone");
  EXPECT_EQ(accepted_for(gateway.received(), "new-phone").size(), 1u);
}

// Reads /metrics until `line` is in it (bounded: the counters move a moment after the answer).
std::string metrics_once(const TestServer& server, std::string_view line) {
  HttpResponse metrics;
  for (int i = 0; i < 2000; ++i) {
    metrics = http_request(server.port(), "GET", "/metrics");
    if (metrics.body.find(line) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return metrics.body;
}

TEST(Push, AFailingGatewayIsRetriedUntilItAccepts) {
  WebhookReceiver gateway;
  gateway.set_mode(Mode::fail);
  TestServer server(quick_push());
  auto [alice, bob, alice_ws, room] = TwoMembers(server);
  register_target(server, bob, gateway, "bob-phone");
  const json::object sent = send_text(alice_ws, room, "try again", "t-1");
  ASSERT_TRUE(gateway.wait_until([](const auto& all) { return all.size() >= 3; })) << server.log();
  gateway.set_mode(Mode::accept);
  ASSERT_TRUE(gateway.wait_until([](const auto& all) { return !accepted_for(all, "bob-phone").empty(); }))
      << server.log();
  EXPECT_EQ(seq_of(accepted_for(gateway.received(), "bob-phone").front()), get_int(sent, "seq"));
  // The gateway's answer is counted once the server has read it: a moment after it was sent.
  const std::string metrics = metrics_once(server, "parley_pushes_sent_total 1\n");
  EXPECT_NE(metrics.find("parley_pushes_sent_total 1\n"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("parley_pushes_failed_total 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("parley_pushes_dropped_total 0\n"), std::string::npos) << metrics;
}

// The request's encryption and VAPID token are checked independently by e2e.web_push; here, that
// a browser's target gets such a request from the outbox, and that its push service's 410
// removes it.
TEST(Push, ABrowserTargetGetsAnEncryptedSignedPostAndA410RemovesIt) {
  WebhookReceiver push_service;
  TestServer server(quick_push());
  auto [alice, bob, alice_ws, room] = TwoMembers(server);
  HttpResponse r = http_json(server.port(), "POST", "/v1/push/targets",
                             {{"kind", "webpush"},
                              {"endpoint", push_service.url()},
                              {"p256dh", "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"},
                              {"auth", "BTBZMqHH6r4Tts7J_aSIgg"}},
                             bob.access_token);
  ASSERT_TRUE(is_http_ok(r)) << r.body;
  send_text(alice_ws, room, "to a browser", "w-1");
  ASSERT_TRUE(push_service.wait_until([](const auto& all) { return !all.empty(); })) << server.log();
  const Received first = push_service.received().front();
  EXPECT_TRUE(first.headers.at("authorization").starts_with("vapid t=")) << first.headers.at("authorization");
  EXPECT_EQ(first.headers.at("content-encoding"), "aes128gcm");
  EXPECT_EQ(first.headers.at("ttl"), "86400");
  EXPECT_EQ(first.headers.at("topic"), std::to_string(room));
  EXPECT_EQ(first.body.find("to a browser"), std::string::npos) << "the text leaves the server encrypted only";
  const std::string metrics = metrics_once(server, "parley_pushes_sent_total 1\n");
  EXPECT_NE(metrics.find("parley_pushes_sent_total 1\n"), std::string::npos) << metrics;

  push_service.set_responder([](const std::string&) { return std::pair<int, std::string>{410, "unsubscribed"}; });
  send_text(alice_ws, room, "anyone there?", "w-2");
  ASSERT_TRUE(targets_left(server, bob, 0)) << server.log();
}

TEST(Push, AHangingGatewayNeverHoldsBackAcknowledgements) {
  WebhookReceiver gateway;
  gateway.set_mode(Mode::hang);
  TestServer server(quick_push(1000, 1000));
  auto [alice, bob, alice_ws, room] = TwoMembers(server);
  register_target(server, bob, gateway, "bob-phone");
  send_text(alice_ws, room, "first", "h-first");
  ASSERT_TRUE(gateway.wait_until([](const auto& all) { return !all.empty(); })) << server.log();

  // The gateway holds an attempt open; every send is acknowledged all the same.
  constexpr int kSends = 200;
  const auto acked = send_texts_pipelined(alice_ws, room, "hang", kSends);
  EXPECT_EQ(static_cast<int>(acked.size()), kSends);
  EXPECT_TRUE(accepted_for(gateway.received(), "bob-phone").empty()) << "nothing was answered while the gateway hung";

  // Once it answers, the room's newest message reaches bob (the ones before it coalesced).
  gateway.set_mode(Mode::accept);
  const std::int64_t last_seq = get_int(acked.back(), "seq");
  ASSERT_TRUE(gateway.wait_until([&](const auto& all) {
    const auto got = accepted_for(all, "bob-phone");
    return !got.empty() && seq_of(got.back()) == last_seq;
  })) << server.log();
  EXPECT_LT(accepted_for(gateway.received(), "bob-phone").size(), static_cast<std::size_t>(kSends))
      << "a burst behind a hanging gateway is coalesced";
}

TEST(Push, KillNineLosesNoNotificationOfAnAcknowledgedMessage) {
  WebhookReceiver gateway;
  gateway.set_mode(Mode::hang);  // nothing is delivered before the crash
  TestServer server(quick_push(1000, 500));
  Account alice = register_user(server, "pk_alice");
  Account bob = register_user(server, "pk_bob");
  register_target(server, bob, gateway, "bob-phone");
  constexpr int kRooms = 10;
  std::set<std::int64_t> rooms;
  {
    WsClient ws = connect(server, alice);
    // A room each: one room's waiting notifications would be coalesced into its newest.
    for (int i = 0; i < kRooms; ++i) {
      const std::int64_t room = create_group(ws, "Crash " + std::to_string(i), {bob.id});
      send_text(ws, room, "before the crash", "k-" + std::to_string(i));
      rooms.insert(room);
    }
  }
  server.kill();
  gateway.set_mode(Mode::accept);
  server.restart();
  ASSERT_TRUE(gateway.wait_until([&](const auto& all) {
    std::set<std::int64_t> notified;
    for (const auto& n : accepted_for(all, "bob-phone")) notified.insert(std::stoll(get_str(n, "room_id")));
    return notified == rooms;
  })) << server.log();
}

}  // namespace
}  // namespace parley::test
