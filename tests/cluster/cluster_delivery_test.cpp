// A cluster delivers every message of a room to every connection in seq order, once, whatever
// node it was sent through and whatever happened to NATS or to a node on the way: the store is
// the truth and the bus a hint.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include "cluster/cluster_fixture.hpp"
#include "support/live_state_fixtures.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

// The value of an unlabelled sample in a /metrics page; -1 when absent.
double metric(const TestServer& server, const std::string& name) {
  const std::string page = http_request(server.port(), "GET", "/metrics").body;
  const auto at = page.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + name.size() + 2));
}

// Senders and an observer on every node, all in one group.
struct BusyRoom {
  std::int64_t id = 0;
  std::vector<Account> senders;  // kPerNode on each node, in node order
  std::vector<WsClient> sender_ws;
  std::vector<WsClient> observers;  // one per node
};

TEST_F(ClusterTest, EveryConnectionGetsARoomsMessagesInSeqOrderWhateverNodeTheyCameThrough) {
  constexpr int kPerNode = 3, kPerSender = 40;
  Account admin = register_user(node(0), "admin");
  BusyRoom room;
  std::vector<Account> watchers;
  std::vector<std::int64_t> members;
  for (int n = 0; n < kNodes; ++n) {
    for (int i = 0; i < kPerNode; ++i) room.senders.push_back(register_user(node(n), "sender"));
    watchers.push_back(register_user(node(n), "watcher"));
  }
  for (const auto& a : room.senders) members.push_back(a.id);
  for (const auto& a : watchers) members.push_back(a.id);
  room.id = create_group_http(node(0), admin, "busy", members);
  for (std::size_t i = 0; i < room.senders.size(); ++i)
    room.sender_ws.push_back(connect(node(static_cast<int>(i) / kPerNode), room.senders[i]));
  for (int n = 0; n < kNodes; ++n) room.observers.push_back(connect(node(n), watchers[static_cast<std::size_t>(n)]));

  // Each sender waits for its acknowledgement before the next, as the report that found the
  // reordering did: every node commits in turn, and the bus interleaves them.
  std::vector<std::vector<std::int64_t>> acked(room.senders.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < room.senders.size(); ++i)
    threads.emplace_back([&, i] {
      for (int m = 0; m < kPerSender; ++m)
        acked[i].push_back(send_text(room.sender_ws[i], room.id, "hello", "s" + std::to_string(i) + "-" + std::to_string(m))
                               .at("seq")
                               .as_int64());
    });
  for (auto& t : threads) t.join();

  const std::int64_t total = static_cast<std::int64_t>(room.senders.size()) * kPerSender;
  const std::int64_t first = 2, last = total + 1;  // seq 1 is the room's creation notice
  for (int n = 0; n < kNodes; ++n) {
    std::vector<std::int64_t> seen = receive_seqs(room.observers[static_cast<std::size_t>(n)], room.id, total);
    EXPECT_EQ(seen, seqs_from(first, last)) << "observer on node " << n << " got: " << listed(seen);
  }
  for (std::size_t i = 0; i < room.senders.size(); ++i) {
    // Everyone else's messages arrive live, in order; the sender's own came back as replies.
    std::vector<std::int64_t> live = receive_seqs(room.sender_ws[i], room.id, total - kPerSender);
    EXPECT_TRUE(strictly_increasing(live)) << "sender " << i << " got: " << listed(live);
    std::set<std::int64_t> all(live.begin(), live.end());
    all.insert(acked[i].begin(), acked[i].end());
    EXPECT_EQ(std::vector<std::int64_t>(all.begin(), all.end()), seqs_from(first, last)) << "sender " << i;
  }
}

// Every node's writer batches sends to many rooms in one transaction; two batches that took the
// rooms' locks in opposite orders used to wait on each other, each deadlock undoing one send and
// then waiting again, until the batches had crawled through. Every send must go through.
TEST_F(ClusterTest, SendersOnEveryNodeIntoManyRoomsAtOnceAllGoThrough) {
  constexpr int kRooms = 12, kSendersPerNode = 2, kPerSender = 120;
  Account admin = register_user(node(0), "admin");
  std::vector<Account> senders;
  for (int n = 0; n < kNodes; ++n)
    for (int i = 0; i < kSendersPerNode; ++i) senders.push_back(register_user(node(n), "sender"));
  std::vector<std::int64_t> members;
  for (const auto& a : senders) members.push_back(a.id);
  std::vector<std::int64_t> rooms;
  for (int r = 0; r < kRooms; ++r) rooms.push_back(create_group_http(node(0), admin, "room", members));
  std::vector<WsClient> sockets;
  for (std::size_t i = 0; i < senders.size(); ++i) sockets.push_back(connect(node(static_cast<int>(i) / kSendersPerNode), senders[i]));

  std::vector<std::thread> threads;
  std::vector<std::map<std::int64_t, std::vector<std::int64_t>>> seqs(senders.size());  // room -> acked seqs
  for (std::size_t i = 0; i < senders.size(); ++i)
    threads.emplace_back([&, i] {
      // Many in flight, each sender walking the rooms in its own order, so that batches on
      // different nodes hold different rooms when they reach for the next.
      std::deque<json::value> in_flight;
      auto collect = [&] {
        json::object m = require_ok(sockets[i].wait_reply(in_flight.front()), "messages.send").at("message").as_object();
        in_flight.pop_front();
        seqs[i][m.at("room_id").as_int64()].push_back(m.at("seq").as_int64());
      };
      for (int m = 0; m < kPerSender; ++m) {
        if (in_flight.size() >= 24) collect();
        const std::size_t r = (i % 2 == 0 ? static_cast<std::size_t>(m) : static_cast<std::size_t>(kPerSender - m)) % kRooms;
        in_flight.push_back(sockets[i].send_request("messages.send", {{"room_id", rooms[r]},
                                                                      {"client_msg_id", "s" + std::to_string(i) + "-" + std::to_string(m)},
                                                                      {"type", "text"},
                                                                      {"text", "x"}}));
      }
      while (!in_flight.empty()) collect();
    });
  for (auto& t : threads) t.join();

  std::map<std::int64_t, std::set<std::int64_t>> per_room;
  for (const auto& by_room : seqs)
    for (const auto& [room, list] : by_room) per_room[room].insert(list.begin(), list.end());
  std::size_t total = 0;
  for (const auto& [room, set] : per_room) {
    total += set.size();
    // seq 1 is the room's creation notice; the sends follow it without a gap.
    EXPECT_EQ(std::vector<std::int64_t>(set.begin(), set.end()), seqs_from(2, static_cast<std::int64_t>(set.size()) + 1))
        << "room " << room;
  }
  EXPECT_EQ(total, senders.size() * kPerSender);
}

// Messages flow through every node while NATS is away for `outage`; every observer ends with
// every message, in order, once, and a room whose last message was sent during the outage is
// caught up without another message.
void send_through_a_nats_outage(NatsTestServer& nats, std::chrono::seconds outage,
                                const std::function<TestServer&(int)>& node) {
  constexpr int kNodes = 3;
  Account admin = register_user(node(0), "admin");
  std::vector<Account> senders, watchers;
  for (int n = 0; n < kNodes; ++n) {
    senders.push_back(register_user(node(n), "sender"));
    watchers.push_back(register_user(node(n), "watcher"));
  }
  std::vector<std::int64_t> members;
  for (const auto& a : senders) members.push_back(a.id);
  for (const auto& a : watchers) members.push_back(a.id);
  const std::int64_t room = create_group_http(node(0), admin, "busy", members);
  const std::int64_t quiet = create_group_http(node(0), admin, "quiet", members);
  std::vector<WsClient> sender_ws, observers;
  for (int n = 0; n < kNodes; ++n) {
    sender_ws.push_back(connect(node(n), senders[static_cast<std::size_t>(n)]));
    observers.push_back(connect(node(n), watchers[static_cast<std::size_t>(n)]));
  }

  // A WsClient is for one thread: sender_ws[2] belongs to its sending thread below, so the main
  // thread's message goes through a connection of its own.
  WsClient quiet_ws = connect(node(2), senders[2]);
  const std::int64_t question = get_int(send_text(quiet_ws, quiet, "the question", "quiet-question"), "seq");

  std::atomic<bool> stop{false};
  std::vector<int> sent(kNodes, 0);
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n)
    threads.emplace_back([&, n] {
      auto& ws = sender_ws[static_cast<std::size_t>(n)];
      for (int m = 0; !stop; ++m) {
        send_text(ws, room, "tick", "n" + std::to_string(n) + "-" + std::to_string(m));
        ++sent[static_cast<std::size_t>(n)];
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  nats.kill();
  std::this_thread::sleep_for(outage / 2);
  // The quiet room's last message: sent through node 2 while NATS is away, and never followed;
  // a reply, whose preview comes with it from the store as it would have come by the bus.
  WsReply last = quiet_ws.request("messages.send", {{"room_id", quiet}, {"client_msg_id", "quiet-last"},
                                                   {"type", "text"}, {"text", "the last word"},
                                                   {"reply_to", question}});
  ASSERT_TRUE(last.ok()) << last.dump();
  std::this_thread::sleep_for(outage - outage / 2);
  nats.restart();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop = true;
  for (auto& t : threads) t.join();

  const std::int64_t total = std::accumulate(sent.begin(), sent.end(), std::int64_t{0});
  for (int n = 0; n < kNodes; ++n) {
    auto& ws = observers[static_cast<std::size_t>(n)];
    std::vector<std::int64_t> seen = receive_seqs(ws, room, static_cast<std::size_t>(total));
    EXPECT_EQ(seen, seqs_from(2, total + 1)) << "observer on node " << n << " got: " << listed(seen);
    const json::object repaired = wait_message(ws, quiet, "quiet-last");
    ASSERT_TRUE(repaired.contains("reply_preview")) << json::serialize(repaired);
    EXPECT_EQ(get_str(get_obj(repaired, "reply_preview"), "text"), "the question") << "node " << n;
    // Receipts and room changes lost with the bus are for the client to fetch: it is told to.
    ws.next_event("sync.required");
  }
  for (int n = 0; n < kNodes; ++n) {
    EXPECT_GE(metric(node(n), "parley_bus_reconnects_total"), 1) << "node " << n;
    EXPECT_NE(node(n).log().find("lost the connection to NATS"), std::string::npos) << "node " << n;
    EXPECT_NE(node(n).log().find("reconnected to NATS"), std::string::npos) << "node " << n;
  }
}

TEST_F(ClusterTest, NatsAwayForThreeSecondsLosesNoMessageAndLeavesNoGap) {
  send_through_a_nats_outage(nats(), std::chrono::seconds(3), [this](int i) -> TestServer& { return node(i); });
}

TEST_F(ClusterTest, NatsAwayForAMinuteLosesNoMessageAndLeavesNoGap) {
  send_through_a_nats_outage(nats(), std::chrono::seconds(60), [this](int i) -> TestServer& { return node(i); });
}

TEST_F(ClusterTest, WhatANodeKilledMidStreamAcknowledgedReachesTheOthersLiveInOrder) {
  constexpr int kAcked = 150, kInFlight = 40;
  Account sender = register_user(node(0), "sender");
  Account dave = register_user(node(0), "dave");
  Account erin = register_user(node(0), "erin");
  std::int64_t room = create_group_http(node(0), sender, "stream", {dave.id, erin.id});
  WsClient sender_ws = connect(node(2), sender);
  WsClient dave_ws = connect(node(0), dave);
  WsClient erin_ws = connect(node(1), erin);

  std::int64_t highest = 1;
  for (const auto& m : send_texts_pipelined(sender_ws, room, "m", kAcked)) highest = std::max(highest, m.at("seq").as_int64());
  std::vector<json::value> in_flight;
  for (int i = kAcked; i < kAcked + kInFlight; ++i)
    in_flight.push_back(sender_ws.send_request(
        "messages.send", {{"room_id", room}, {"client_msg_id", "m-" + std::to_string(i)}, {"type", "text"}, {"text", "x"}}));
  node(2).kill();
  for (const auto& id : in_flight) {
    try {
      WsReply reply = sender_ws.wait_reply(id);
      if (reply.ok()) highest = std::max(highest, reply.data().at("message").at("seq").as_int64());
    } catch (const std::exception&) {
      // Gone with the node: not acknowledged.
    }
  }
  // Nothing more is sent: what the dead node acknowledged must come without another message.
  for (WsClient* ws : {&dave_ws, &erin_ws}) {
    std::vector<std::int64_t> seen = receive_seqs(*ws, room, static_cast<std::size_t>(highest - 1));
    EXPECT_TRUE(strictly_increasing(seen)) << listed(seen);
    ASSERT_GE(seen.size(), static_cast<std::size_t>(highest - 1)) << listed(seen);
    EXPECT_EQ(std::vector<std::int64_t>(seen.begin(), seen.begin() + (highest - 1)), seqs_from(2, highest)) << listed(seen);
  }
}

TEST_F(ClusterTest, TypingStartedOnOneNodeEndsWhenTheTypistSendsThroughAnother) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  std::int64_t room = direct_room_http(node(0), alice, bob.id);
  WsClient alice_ws = connect(node(0), alice);
  WsClient bob_phone = connect(node(1), bob);
  WsClient bob_laptop = connect(node(2), bob);

  require_ok(bob_phone.request("typing.start", {{"room_id", room}}), "typing.start");
  alice_ws.wait_event([&](const Event& e) { return is_typing(e, room, bob.id, true); });
  send_text(bob_laptop, room, "sent from the laptop", "laptop-1");
  alice_ws.wait_event([&](const Event& e) { return is_typing(e, room, bob.id, false); });
}

TEST_F(ClusterTest, ANodeOfThePreviousWireVersionIsUnderstoodDuringARollingUpgrade) {
  // A node still publishing the previous layout, as every node does in the first step of an upgrade.
  auto old_node = start_node({"--cluster-wire-version", "1"});
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  std::int64_t room = direct_room_http(node(0), alice, bob.id);
  WsClient alice_ws = connect(*old_node, alice);
  WsClient bob_ws = connect(node(1), bob);
  std::vector<json::object> sent = send_texts_pipelined(alice_ws, room, "old", 30);
  std::vector<std::int64_t> seen = receive_seqs(bob_ws, room, sent.size());
  EXPECT_EQ(seen, seqs_from(1, static_cast<std::int64_t>(sent.size()))) << listed(seen);
  send_text(bob_ws, room, "and back", "back-1");
  wait_message(alice_ws, room, "back-1");
}

}  // namespace
}  // namespace parley::test
