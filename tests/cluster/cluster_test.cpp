// Several parleyd nodes on one PostgreSQL and one NATS: users on different nodes talk, live
// state crosses nodes, one order per room, and a node killed mid-stream loses nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <thread>

#include "cluster/cluster_fixture.hpp"
#include "support/live_state_fixtures.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(ClusterTest, UsersOnDifferentNodesTalk) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(1), "bob");  // a token from one node is good on every node
  WsClient alice_ws = connect(node(0), alice);
  WsClient bob_ws = connect(node(1), bob);

  std::int64_t room = direct_room(alice_ws, bob.id);
  wait_room_event(bob_ws, "room.joined", room);  // the membership change crossed to node 1

  json::object sent = send_text(alice_ws, room, "hello from node 0", "hello-1");
  json::object received = wait_message(bob_ws, room, "hello-1");
  EXPECT_EQ(without_status(received), without_status(sent));

  json::object reply = send_text(bob_ws, room, "hello from node 1", "reply-1");
  EXPECT_EQ(reply.at("seq").as_int64(), 2);
  wait_message(alice_ws, room, "reply-1");
}

TEST_F(ClusterTest, TypingAndReceiptsCrossNodes) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(2), "bob");
  std::int64_t room = direct_room_http(node(0), alice, bob.id);
  WsClient alice_ws = connect(node(0), alice);
  WsClient bob_ws = connect(node(2), bob);

  require_ok(bob_ws.request("typing.start", {{"room_id", room}}), "typing.start");
  alice_ws.wait_event([&](const Event& e) { return is_typing(e, room, bob.id, true); });
  require_ok(bob_ws.request("typing.stop", {{"room_id", room}}), "typing.stop");
  alice_ws.wait_event([&](const Event& e) { return is_typing(e, room, bob.id, false); });

  std::int64_t seq = send_text(alice_ws, room, "read me", "m-1").at("seq").as_int64();
  wait_message(bob_ws, room, "m-1");
  mark(bob_ws, room, seq, seq);
  Event receipt = wait_receipt(alice_ws, room, bob.id);
  EXPECT_EQ(receipt.data.at("read_seq").as_int64(), seq);
  EXPECT_EQ(history_message(alice_ws, room, seq).at("status"), expected_status("read", 1, 1, 1));
}

// Whether a reader's receipts go to the others is decided by the node that commits the receipt,
// from the store, whichever node the reader chose the setting or the status through.
class HiddenReaderAcrossNodes : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    if (HasFatalFailure()) return;
    alice = register_user(node(0), "alice");
    bob = register_user(node(0), "bob");
    room = direct_room_http(node(0), alice, bob.id);
    alice_ws = std::make_unique<WsClient>(connect(node(0), alice));
    bob_phone = std::make_unique<WsClient>(connect(node(1), bob));
    bob_laptop = std::make_unique<WsClient>(connect(node(2), bob));
    seq = get_int(send_text(*alice_ws, room, "read me", "m-1"), "seq");
    wait_message(*bob_phone, room, "m-1");
    // Delivered while bob hides nothing, so that reading it later moves nothing but the read.
    mark(*bob_phone, room, seq, std::nullopt);
    wait_receipt(*alice_ws, room, bob.id);
    wait_receipt(*bob_laptop, room, bob.id);
  }

  // Bob reads through his phone: his laptop hears of it, and alice, who is told of the next
  // message after any receipt the read caused, hears nothing.
  void expect_read_hidden_from_alice() {
    mark(*bob_phone, room, std::nullopt, seq);
    EXPECT_EQ(wait_receipt(*bob_laptop, room, bob.id).data, receipt_data(room, bob.id, seq, seq));
    send_text(*bob_phone, room, "read it", "b-1");
    const Event first = alice_ws->wait_event(
        [&](const Event& e) { return is_receipt_of(e, room, bob.id) || carries_message(e, room, "b-1"); });
    EXPECT_EQ(first.name, "message") << "alice was told of bob's read: " << json::serialize(first.data);
  }

  Account alice, bob;
  std::int64_t room = 0, seq = 0;
  std::unique_ptr<WsClient> alice_ws, bob_phone, bob_laptop;
};

TEST_F(HiddenReaderAcrossNodes, PrivateReadReceiptsChosenThroughOneNodeHoldOnAnother) {
  require_ok(bob_laptop->request("me.update", {{"read_receipts", "private"}}), "me.update");
  expect_read_hidden_from_alice();
  EXPECT_EQ(history_message(*alice_ws, room, seq).at("status"), expected_status("delivered", 1, 1, 0));
}

TEST_F(HiddenReaderAcrossNodes, InvisibleChosenThroughOneNodeHidesReceiptsMadeThroughAnother) {
  require_ok(bob_laptop->request("presence.set", {{"status", "invisible"}}), "presence.set");
  expect_read_hidden_from_alice();
}

TEST_F(HiddenReaderAcrossNodes, InvisibleChosenThroughOneNodeHidesTypingThroughAnother) {
  require_ok(bob_laptop->request("presence.set", {{"status", "invisible"}}), "presence.set");
  // Bob's phone, on another node, hears his new status: from then on that node hides him too.
  bob_phone->wait_event([&](const Event& e) {
    return e.name == "presence" && get_int(e.data, "user_id") == bob.id && e.data.contains("status") &&
           e.data.at("status") == "invisible";
  });
  require_ok(bob_phone->request("typing.start", {{"room_id", room}}), "typing.start");
  send_text(*bob_phone, room, "typed while invisible", "b-typed");
  const Event first = alice_ws->wait_event(
      [&](const Event& e) { return is_typing(e, room, bob.id, true) || carries_message(e, room, "b-typed"); });
  EXPECT_EQ(first.name, "message") << "alice saw invisible bob typing: " << json::serialize(first.data);
}

TEST_F(ClusterTest, OnlineWhileAnyDeviceOnAnyNodeIsConnected) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  direct_room_http(node(0), alice, bob.id);
  WsClient alice_ws = connect(node(0), alice);

  WsClient bob_phone = connect(node(1), bob);
  alice_ws.wait_event([&](const Event& e) { return is_online_presence(e, bob.id, true); });
  // Whatever came before (the room's creation introduces bob to alice as offline) is done with.
  drain_events(alice_ws);
  WsClient bob_laptop = connect(node(2), bob);

  bob_phone.close();
  auto while_laptop_on = collect_events(alice_ws, [&](const Event& e) { return is_presence_of(e, bob.id); });
  EXPECT_TRUE(std::none_of(while_laptop_on.begin(), while_laptop_on.end(),
                           [&](const Event& e) { return is_online_presence(e, bob.id, false); }))
      << describe(while_laptop_on);

  bob_laptop.close();
  Event offline = alice_ws.wait_event([&](const Event& e) { return is_online_presence(e, bob.id, false); });
  EXPECT_TRUE(offline.data.contains("last_seen_at"));
}

TEST_F(ClusterTest, ANodeThatDiesTakesItsUsersOffline) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  direct_room_http(node(0), alice, bob.id);
  WsClient alice_ws = connect(node(0), alice);
  WsClient bob_ws = connect(node(2), bob);
  alice_ws.wait_event([&](const Event& e) { return is_online_presence(e, bob.id, true); });

  node(2).kill();  // no goodbye: only the missing heartbeats tell
  alice_ws.wait_event([&](const Event& e) { return is_online_presence(e, bob.id, false); });
}

TEST_F(ClusterTest, ConcurrentSendersOnDifferentNodesSeeOneGaplessOrder) {
  constexpr int kPerSender = 150;
  Account admin = register_user(node(0), "admin");
  std::vector<Account> senders;
  for (int i = 0; i < kNodes; ++i) senders.push_back(register_user(node(i), "sender"));
  std::int64_t room = create_group_http(node(0), admin, "busy", {senders[0].id, senders[1].id, senders[2].id});
  std::vector<WsClient> sockets;
  for (int i = 0; i < kNodes; ++i) sockets.push_back(connect(node(i), senders[static_cast<std::size_t>(i)]));

  std::vector<std::vector<json::object>> acks(kNodes);
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i)
    threads.emplace_back([&, i] {
      acks[static_cast<std::size_t>(i)] =
          send_texts_pipelined(sockets[static_cast<std::size_t>(i)], room, "node" + std::to_string(i), kPerSender);
    });
  for (auto& t : threads) t.join();

  const std::int64_t total = kNodes * kPerSender;
  // seq 1 is the room's creation notice; the texts follow it.
  const std::int64_t first = 2, last = total + 1;
  std::map<std::int64_t, std::string> acked;  // seq -> client_msg_id
  for (const auto& per_sender : acks)
    for (const auto& m : per_sender)
      EXPECT_TRUE(acked.emplace(m.at("seq").as_int64(), std::string(m.at("client_msg_id").as_string())).second)
          << "two acknowledgements with seq " << m.at("seq");
  std::vector<std::int64_t> acked_seqs;
  for (const auto& [seq, id] : acked) acked_seqs.push_back(seq);
  EXPECT_EQ(acked_seqs, seqs_from(first, last));

  for (int i = 0; i < kNodes; ++i) {
    // Each sender has its own messages as replies; everyone else's arrive live, each once.
    std::vector<std::int64_t> live = receive_seqs(sockets[static_cast<std::size_t>(i)], room, total - kPerSender);
    EXPECT_TRUE(std::is_sorted(live.begin(), live.end())) << "live messages out of seq order on node " << i;
    for (const auto& m : acks[static_cast<std::size_t>(i)]) live.push_back(m.at("seq").as_int64());
    EXPECT_EQ(sorted(live), seqs_from(first, last)) << "as seen on node " << i;

    std::vector<json::object> history = fetch_history_http(node(i), senders[static_cast<std::size_t>(i)], room);
    ASSERT_EQ(history.size(), static_cast<std::size_t>(total) + 1) << "the messages and the room's creation";
    std::int64_t expected = 1;
    for (const auto& m : history) {
      EXPECT_EQ(m.at("seq").as_int64(), expected++);
      if (m.at("type") == "text")
        EXPECT_EQ(m.at("client_msg_id").as_string(), acked.at(m.at("seq").as_int64()));
    }
  }
}

TEST_F(ClusterTest, TheSameSendThroughEveryNodeAtOnceIsStoredOnceAndAnsweredAlike) {
  constexpr int kSends = 40;
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  std::int64_t room = direct_room_http(node(0), alice, bob.id);
  std::vector<WsClient> devices;
  for (int i = 0; i < kNodes; ++i) devices.push_back(connect(node(i), alice));

  for (int n = 0; n < kSends; ++n) {
    // A retry that a flaky network delivered to every node: all in flight before any answer.
    std::string id = "same-" + std::to_string(n);
    json::object send{{"room_id", room}, {"client_msg_id", id}, {"type", "text"}, {"text", "once"}};
    std::vector<json::value> requests;
    for (auto& device : devices) requests.push_back(device.send_request("messages.send", send));
    std::set<std::int64_t> seqs;
    int firsts = 0;
    for (int i = 0; i < kNodes; ++i) {
      json::object data = require_ok(devices[static_cast<std::size_t>(i)].wait_reply(requests[static_cast<std::size_t>(i)]),
                                     "messages.send through node " + std::to_string(i));
      seqs.insert(data.at("message").at("seq").as_int64());
      if (!data.at("duplicate").as_bool()) ++firsts;
    }
    EXPECT_EQ(seqs.size(), 1u) << id << " stored under several seqs";
    EXPECT_EQ(firsts, 1) << id << ": exactly one answer is the first store";
  }
  std::vector<json::object> history = fetch_history_http(node(1), alice, room);
  EXPECT_EQ(history.size(), static_cast<std::size_t>(kSends));
}

TEST_F(ClusterTest, AFileUploadedThroughOneNodeIsFetchedThroughAnother) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  std::int64_t room = direct_room_http(node(0), alice, bob.id);
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(5000, 'p');

  HttpRequest upload;
  upload.method = "POST";
  upload.target = "/v1/uploads?name=dot.png";
  upload.body = png;
  upload.bearer = alice.access_token;
  upload.headers = {{"Content-Type", "image/png"}};
  HttpResponse uploaded = send_http(node(0).port(), upload);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  std::string upload_id(uploaded.object().at("upload").at("upload_id").as_string());

  json::object message{{"client_msg_id", "pic-1"}, {"type", "image"}, {"attachment", json::object{{"upload_id", upload_id}}}};
  HttpResponse sent =
      http_json(node(1).port(), "POST", "/v1/rooms/" + std::to_string(room) + "/messages", message, alice.access_token);
  ASSERT_EQ(sent.status, 200) << sent.body;

  HttpResponse fetched = http_request(node(2).port(), "GET", "/v1/uploads/" + upload_id, {}, bob.access_token);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.body, png);
  EXPECT_EQ(fetched.header("Content-Type"), "image/png");
}

TEST_F(ClusterTest, ANodeKilledMidStreamLosesNothingAcknowledgedAndRepeatsNothing) {
  constexpr int kMessages = 300, kAckedBeforeKill = 100, kInFlightAtKill = 40;
  Account sender = register_user(node(0), "sender");
  Account carol = register_user(node(0), "carol");  // on the node that dies, then on another
  Account dave = register_user(node(0), "dave");    // on a node that lives
  std::int64_t room = create_group_http(node(0), sender, "stream", {carol.id, dave.id});
  WsClient sender_ws = connect(node(2), sender);
  WsClient carol_ws = connect(node(2), carol);
  WsClient dave_ws = connect(node(0), dave);

  std::map<std::string, std::int64_t> acked;  // client_msg_id -> seq, as acknowledged
  for (const auto& m : send_texts_pipelined(sender_ws, room, "m", kAckedBeforeKill))
    acked[std::string(m.at("client_msg_id").as_string())] = m.at("seq").as_int64();
  std::vector<json::value> in_flight;
  for (int i = kAckedBeforeKill; i < kAckedBeforeKill + kInFlightAtKill; ++i) {
    std::string id = "m-" + std::to_string(i);
    in_flight.push_back(sender_ws.send_request(
        "messages.send", {{"room_id", room}, {"client_msg_id", id}, {"type", "text"}, {"text", "message " + id}}));
  }
  node(2).kill();
  for (const auto& id : in_flight) {
    try {
      WsReply reply = sender_ws.wait_reply(id);
      if (!reply.ok()) continue;
      const auto& m = reply.data().at("message").as_object();
      acked[std::string(m.at("client_msg_id").as_string())] = m.at("seq").as_int64();
    } catch (const std::exception&) {
      // The node died before it answered: the sender cannot know, and sends it again.
    }
  }
  std::vector<std::int64_t> carol_before = message_seqs(carol_ws, room);

  // The sender's app reconnects through the load balancer, to node 0, and sends again every
  // message it holds: those the dead node committed come back with their first seq.
  WsClient sender_again = connect(node(0), sender);
  std::set<std::int64_t> final_seqs;
  for (const auto& m : send_texts_pipelined(sender_again, room, "m", kMessages)) {
    std::string id(m.at("client_msg_id").as_string());
    std::int64_t seq = m.at("seq").as_int64();
    if (acked.contains(id)) EXPECT_EQ(seq, acked[id]) << id << " was acknowledged with another seq";
    EXPECT_TRUE(final_seqs.insert(seq).second) << "two messages with seq " << seq;
  }
  const std::int64_t last = kMessages + 1;  // seq 1 is the room's creation notice
  EXPECT_EQ(std::vector<std::int64_t>(final_seqs.begin(), final_seqs.end()), seqs_from(2, last));

  std::vector<json::object> history = fetch_history_http(node(1), sender, room);
  std::set<std::string> ids;
  std::int64_t expected = 1;
  for (const auto& m : history) {
    EXPECT_EQ(m.at("seq").as_int64(), expected++);
    if (m.at("type") == "text") EXPECT_TRUE(ids.insert(std::string(m.at("client_msg_id").as_string())).second);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kMessages));

  // Carol's app reconnects to node 1 and syncs from the last seq it holds.
  std::int64_t carol_last = carol_before.empty() ? 1 : *std::max_element(carol_before.begin(), carol_before.end());
  WsClient carol_again = connect(node(1), carol);
  std::vector<std::int64_t> carol_all = carol_before;
  for (bool more = true; more;) {
    json::object answer = require_ok(
        carol_again.request("sync", {{"rooms", json::array{json::object{{"room_id", room}, {"after_seq", carol_last}}}}}),
        "sync");
    const auto& catch_up = answer.at("catch_up").as_array().at(0).as_object();
    for (const auto& m : catch_up.at("messages").as_array()) {
      carol_last = m.at("seq").as_int64();
      carol_all.push_back(carol_last);
    }
    more = catch_up.at("has_more").as_bool();
  }
  for (std::int64_t seq : message_seqs(carol_again, room)) carol_all.push_back(seq);
  EXPECT_EQ(sorted(carol_all), seqs_from(2, last)) << "carol missed or repeated a message";

  // Dave never left node 0: whatever the dead node committed but never published he fills
  // through sync when he sees the gap; nothing reaches him twice.
  std::vector<std::int64_t> dave_seqs = message_seqs(dave_ws, room);
  std::set<std::int64_t> dave_distinct(dave_seqs.begin(), dave_seqs.end());
  EXPECT_EQ(dave_distinct.size(), dave_seqs.size()) << "dave got a message twice";
  EXPECT_TRUE(dave_distinct.contains(last));
}

TEST_F(ClusterTest, ALogoutThroughOneNodeEndsTheLoginOnEveryNode) {
  Account alice = register_user(node(0), "alice");
  std::vector<WsClient> devices;
  for (int n = 0; n < kNodes; ++n) devices.push_back(connect(node(n), alice));
  HttpResponse out = http_json(node(0).port(), "POST", "/v1/auth/logout", {{"refresh_token", alice.refresh_token}});
  ASSERT_EQ(out.status, 200) << out.body;
  // A node closes the login's connections once it refuses its tokens: after the close, the
  // token is refused there.
  for (int n = 0; n < kNodes; ++n) {
    EXPECT_EQ(devices[static_cast<std::size_t>(n)].wait_closed(), 4003) << "node " << n;
    EXPECT_EQ(http_request(node(n).port(), "GET", "/v1/me", {}, alice.access_token).status, 401) << "node " << n;
  }
  // A node started afterwards learns it from the store.
  auto late = start_node();
  EXPECT_EQ(http_request(late->port(), "GET", "/v1/me", {}, alice.access_token).status, 401);
}

}  // namespace
}  // namespace parley::test
