// Webhooks: every event type reaches a receiver the test starts, signed as Standard Webhooks
// specifies (checked here with OpenSSL, independently of the server's code), in order per room;
// a failing receiver gets retries under the same webhook-id; a hanging one never holds back a
// message's acknowledgement; a kill -9 loses no delivery of an acknowledged message; a delivery
// whose attempts run out ends, and the room's next ones still go.
#include "support/api_key_cli.hpp"
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/jwt_minter.hpp"
#include "support/webhook_receiver.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <tuple>
#include <chrono>
#include <map>
#include <set>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;
using Received = WebhookReceiver::Received;
using Mode = WebhookReceiver::Mode;

// Standard Webhooks' own example secret: 24 bytes of key.
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// What a receiver computes: base64(HMAC-SHA256(key, "id.timestamp.body")), key = base64 after whsec_.
std::string expected_signature(const Received& r) {
  const std::string encoded_key(kSecret.substr(6));
  std::string key(encoded_key.size(), '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                                      reinterpret_cast<const unsigned char*>(encoded_key.data()),
                                      static_cast<int>(encoded_key.size()));
  key.resize(static_cast<std::size_t>(decoded) - std::count(encoded_key.begin(), encoded_key.end(), '='));
  const std::string content = r.id + "." + r.timestamp + "." + r.body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac, &length);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  out.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(length))));
  return "v1," + out;
}

json::object payload(const Received& r) { return json::parse(r.body).as_object(); }
std::string type_of(const Received& r) { return get_str(payload(r), "type"); }

// The client_msg_id of a message.created, or of the event of a message.edited, message.deleted,
// reaction.added or reaction.removed; empty for other events.
std::string client_msg_id_of(const Received& r) {
  const json::object p = payload(r);
  const std::string type = get_str(p, "type");
  if (!type.starts_with("message.") && !type.starts_with("reaction.")) return {};
  const auto& m = get_obj(get_obj(p, "data"), "message");
  return m.contains("client_msg_id") ? get_str(m, "client_msg_id") : std::string();
}

// The accepted deliveries, each once, in the order they were accepted.
std::vector<Received> accepted(const std::vector<Received>& all) {
  std::vector<Received> out;
  std::set<std::string> seen;
  for (const auto& r : all)
    if (r.status == 200 && seen.insert(r.id).second) out.push_back(r);
  return out;
}

std::size_t count_accepted_messages(const std::vector<Received>& all, std::string_view prefix) {
  std::size_t n = 0;
  for (const auto& r : accepted(all))
    if (client_msg_id_of(r).starts_with(prefix)) ++n;
  return n;
}

std::string endpoint(const WebhookReceiver& receiver, std::string_view events) {
  return receiver.url() + " events=" + std::string(events) + " secret=" + std::string(kSecret);
}

// A server posting message.created to `receiver`, retrying at once (10 ms, then 20 ms at most)
// up to `attempts` times, each attempt given `timeout_ms`.
std::vector<std::string> quick_retries(const WebhookReceiver& receiver, int attempts, int timeout_ms = 10'000) {
  return {"--webhook", endpoint(receiver, "message.created"), "--webhook-timeout-ms", std::to_string(timeout_ms),
          "--webhook-retry-ms", "10", "--webhook-retry-max-ms", "20", "--webhook-max-attempts", std::to_string(attempts)};
}

TEST(Webhooks, EveryEventTypeArrivesSignedAndInRoomOrder) {
  WebhookReceiver receiver;
  TestServer server({"--webhook", endpoint(receiver, "*")});
  Account alice = register_user(server, "hook_alice");
  Account bob = register_user(server, "hook_bob");
  Account carol = register_user(server, "hook_carol");
  WsClient ws = connect(server, alice);
  const std::int64_t room = create_group(ws, "Hooks", {bob.id});
  send_texts_pipelined(ws, room, "ev", 20);
  ASSERT_TRUE(is_ok(ws.request("rooms.rename", {{"room_id", room}, {"name", "Hooks renamed"}})));
  ASSERT_TRUE(is_ok(ws.request("members.add", {{"room_id", room}, {"user_id", carol.id}})));
  ASSERT_TRUE(is_ok(ws.request("members.role", {{"room_id", room}, {"user_id", carol.id}, {"role", "admin"}})));
  ASSERT_TRUE(is_ok(ws.request("members.remove", {{"room_id", room}, {"user_id", bob.id}})));
  const std::int64_t last = get_int(send_text(ws, room, "last", "ev-last"), "seq");
  // A message's life: each change is an event of its own type, in the room's order.
  for (const auto& [type, text, id] : {std::tuple{"edit", "last!", "ev-edit"}, {"reaction", "👍", "ev-react"},
                                       {"reaction_removed", "👍", "ev-unreact"}, {"deletion", "", "ev-zdelete"}})
    ASSERT_TRUE(is_ok(ws.request("messages.send", {{"room_id", room}, {"client_msg_id", id}, {"type", type},
                                                   {"relates_to", last}, {"text", text}})));

  ASSERT_TRUE(receiver.wait_until([](const auto& all) {
    const auto done = accepted(all);
    const auto users = std::count_if(done.begin(), done.end(), [](const Received& r) { return type_of(r) == "user.created"; });
    return count_accepted_messages(all, "ev-zdelete") == 1 && users == 3;
  })) << server.log();
  const auto all = receiver.received();
  for (const auto& r : all) {
    EXPECT_TRUE(r.id.starts_with("msg_")) << r.id;
    EXPECT_FALSE(r.timestamp.empty());
    EXPECT_EQ(r.signature, expected_signature(r)) << r.body;
  }
  const auto delivered = accepted(all);
  std::vector<std::string> room_changes;
  std::set<std::string> types;
  std::int64_t last_seq = 0;
  for (const auto& r : delivered) {
    const json::object p = payload(r);
    EXPECT_TRUE(p.contains("timestamp"));
    const std::string type = get_str(p, "type");
    types.insert(type);
    const json::object& data = get_obj(p, "data");
    if (type.starts_with("message.") || type.starts_with("reaction.")) {
      const auto& m = get_obj(data, "message");
      ASSERT_EQ(get_int(m, "room_id"), room);
      EXPECT_GT(get_int(m, "seq"), last_seq) << "a room's messages arrive in order";
      last_seq = get_int(m, "seq");
    } else if (type != "user.created") {
      room_changes.push_back(type);
    }
  }
  EXPECT_EQ(types, (std::set<std::string>{"user.created", "room.created", "message.created", "room.renamed",
                                          "member.added", "member.role_changed", "member.removed", "message.edited",
                                          "reaction.added", "reaction.removed", "message.deleted"}));
  EXPECT_EQ(room_changes, (std::vector<std::string>{"room.created", "room.renamed", "member.added",
                                                    "member.role_changed", "member.removed"}));
}

TEST(Webhooks, FailingEndpointGetsRetriesWithTheSameIdUntilItRecovers) {
  WebhookReceiver receiver;
  receiver.set_mode(Mode::fail);
  TestServer server(quick_retries(receiver, 1000));
  Account alice = register_user(server, "retry_alice");
  Account bob = register_user(server, "retry_bob");
  WsClient ws = connect(server, alice);
  const std::int64_t room = direct_room(ws, bob.id);  // no system message goes first
  send_text(ws, room, "hello", "retry-1");
  auto failures_of_retry = [](const std::vector<Received>& all) {
    return std::count_if(all.begin(), all.end(),
                         [](const Received& r) { return r.status == 500 && client_msg_id_of(r) == "retry-1"; });
  };
  ASSERT_TRUE(receiver.wait_until([&](const auto& all) { return failures_of_retry(all) >= 3; })) << server.log();
  receiver.set_mode(Mode::accept);
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return count_accepted_messages(all, "retry-1") == 1; }))
      << server.log();
  std::set<std::string> ids;
  for (const auto& r : receiver.received())
    if (client_msg_id_of(r) == "retry-1") ids.insert(r.id);
  EXPECT_EQ(ids.size(), 1u) << "every attempt carries the delivery's one webhook-id";
}

TEST(Webhooks, HangingEndpointNeverHoldsBackAcknowledgements) {
  WebhookReceiver receiver;
  receiver.set_mode(Mode::hang);
  TestServer server(quick_retries(receiver, 1000, 1000));
  Account alice = register_user(server, "hang_alice");
  WsClient ws = connect(server, alice);
  const std::int64_t room = create_group(ws, "Hanging");
  send_text(ws, room, "first", "hang-first");
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return !all.empty(); })) << server.log();

  // The endpoint holds an attempt open; every send is acknowledged all the same.
  constexpr int kSends = 300;
  const auto acked = send_texts_pipelined(ws, room, "hang", kSends);
  EXPECT_EQ(static_cast<int>(acked.size()), kSends);
  EXPECT_EQ(accepted(receiver.received()).size(), 0u) << "nothing was answered while the endpoint hung";

  receiver.set_mode(Mode::accept);
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return count_accepted_messages(all, "hang") == kSends + 1; }))
      << server.log();
}

TEST(Webhooks, KillNineLosesNoDeliveryOfAnAcknowledgedMessage) {
  WebhookReceiver receiver;
  receiver.set_mode(Mode::hang);  // nothing is delivered before the crash
  TestServer server(quick_retries(receiver, 1000, 500));
  Account alice = register_user(server, "kill_alice");
  const std::int64_t room = [&] {
    WsClient ws = connect(server, alice);
    const std::int64_t id = create_group(ws, "Crash");
    EXPECT_EQ(send_texts_pipelined(ws, id, "kill", 100).size(), 100u);
    return id;
  }();
  (void)room;
  server.kill();
  receiver.set_mode(Mode::accept);
  server.restart();
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return count_accepted_messages(all, "kill") == 100; }))
      << server.log();
}

TEST(Webhooks, ExhaustedAttemptsEndTheDeliveryAndTheRoomMovesOn) {
  WebhookReceiver receiver;
  receiver.set_mode(Mode::fail);
  TestServer server(quick_retries(receiver, 3));
  Account alice = register_user(server, "fail_alice");
  WsClient ws = connect(server, alice);
  const std::int64_t room = create_group(ws, "Failing");
  send_text(ws, room, "doomed", "doomed");
  auto attempts_at = [](const std::vector<Received>& all, std::string_view cid) {
    return std::count_if(all.begin(), all.end(), [&](const Received& r) { return client_msg_id_of(r) == cid; });
  };
  ASSERT_TRUE(receiver.wait_until([&](const auto& all) { return attempts_at(all, "doomed") >= 3; })) << server.log();
  receiver.set_mode(Mode::accept);
  send_text(ws, room, "after", "after");
  // The room's next delivery goes only once the earlier one has ended: by then it was failed
  // after exactly its three attempts.
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return count_accepted_messages(all, "after") == 1; }))
      << server.log();
  EXPECT_EQ(attempts_at(receiver.received(), "doomed"), 3);
}

TEST(Webhooks, AUserOfTheAppsIdentityProviderIsAnnouncedOnceWithTheProvidersId) {
  constexpr std::string_view kJwtSecret = "a-shared-secret-of-at-least-thirty-two-bytes";
  WebhookReceiver receiver;
  TestServer server({"--webhook", endpoint(receiver, "user.created"), "--app-jwt-secret", std::string(kJwtSecret)});
  const std::int64_t now = unix_now();
  const std::string token =
      mint_hmac({{"alg", "HS256"}}, {{"sub", "idp-user-42"}, {"iat", now}, {"exp", now + 3600}}, kJwtSecret);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(http_request(server.port(), "GET", "/v1/me", {}, token).status, 200);
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return !accepted(all).empty(); })) << server.log();
  Account own = register_user(server, "own_account");
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return accepted(all).size() == 2; })) << server.log();
  const auto delivered = accepted(receiver.received());
  const json::object first = get_obj(payload(delivered[0]), "data");
  EXPECT_EQ(get_str(first, "external_id"), "idp-user-42");
  EXPECT_FALSE(get_obj(payload(delivered[1]), "data").contains("external_id"));
  EXPECT_EQ(get_int(get_obj(get_obj(payload(delivered[1]), "data"), "user"), "id"), own.id);
}

// The server API's view of the outbox: a delivery whose attempts ran out is listed as failed
// with what the endpoint answered; redelivered, it reaches the endpoint again under its id.
TEST(Webhooks, TheServerApiListsDeliveriesWithTheirOutcomeAndRedeliversOne) {
  WebhookReceiver receiver;
  receiver.set_mode(Mode::fail);
  TestServer server(quick_retries(receiver, 2));
  const std::string key = create_api_key(server, "backend").key;
  Account alice = register_user(server, "listed_alice");
  Account bob = register_user(server, "listed_bob");
  WsClient ws = connect(server, alice);
  const std::int64_t room = direct_room(ws, bob.id);
  send_text(ws, room, "listed", "listed-1");

  // Polls the list until the newest delivery reaches `status`; bounded, so a failure ends.
  auto newest_with_status = [&](std::string_view status) -> json::object {
    for (int i = 0; i < 600; ++i) {
      HttpResponse res = http_request(server.port(), "GET", "/v1/server/webhooks/deliveries?limit=10", {}, key);
      if (res.status != 200) throw std::runtime_error("deliveries: " + res.body);
      const auto& deliveries = get_arr(res.object(), "deliveries");
      if (!deliveries.empty() && get_str(deliveries.at(0).as_object(), "status") == status) {
        return deliveries.at(0).as_object();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("no delivery became " + std::string(status) + "\n" + server.log());
  };
  const json::object failed = newest_with_status("failed");
  EXPECT_EQ(get_str(failed, "event_type"), "message.created");
  EXPECT_EQ(get_int(failed, "attempts"), 2);
  EXPECT_EQ(get_int(failed, "last_http_status"), 500);
  EXPECT_EQ(get_str(failed, "target"), receiver.url());
  EXPECT_GT(get_int(failed, "created_at"), 0);
  EXPECT_GE(get_int(failed, "updated_at"), get_int(failed, "created_at"));
  const std::string id = get_str(failed, "id");
  // Everything fits in one page: no older page to ask for.
  HttpResponse all = http_request(server.port(), "GET", "/v1/server/webhooks/deliveries?limit=200", {}, key);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_FALSE(get_bool(all.object(), "has_more"));
  EXPECT_EQ(get_int(all.object(), "next_before"), 0);

  receiver.set_mode(Mode::accept);
  HttpResponse again = http_request(server.port(), "POST", "/v1/server/webhooks/deliveries/" + id + "/redeliver", "", key);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(get_str(get_obj(again.object(), "delivery"), "id"), id);
  ASSERT_TRUE(receiver.wait_until([](const auto& all) { return count_accepted_messages(all, "listed-1") == 1; }))
      << server.log();
  EXPECT_EQ(accepted(receiver.received()).front().id, id) << "the redelivery carries the same webhook-id";
  EXPECT_EQ(get_str(newest_with_status("delivered"), "id"), id);

  EXPECT_TRUE(is_http_error(
      http_request(server.port(), "POST", "/v1/server/webhooks/deliveries/msg_unknown/redeliver", "", key), 404, "not_found"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/server/webhooks/deliveries", {}, alice.access_token),
                            401, "unauthorized"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/server/webhooks/deliveries?limit=0", {}, key), 400,
                            "invalid_payload"));
}

}  // namespace
}  // namespace parley::test
