// Supabase Realtime on a cluster: a channel's postgres_changes rows are a room's messages in seq
// order, each once, whatever node each message was sent through, and a client that joins on
// any node with after_seq gets what it missed from the store first (docs/supabase.md).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "cluster/cluster_fixture.hpp"
#include "support/live_state_fixtures.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

// A Realtime connection with the serializer 1.0.0, whose JSON objects the test client files as
// events named by their "event".
WsClient realtime_client(const TestServer& server, const Account& account) {
  return WsClient(server.port(), "/realtime/v1/websocket?vsn=1.0.0&apikey=" + account.access_token);
}

// Joins realtime:room:<room> listening to the room's inserts, from `after_seq` when given;
// returns the join reply's payload.
json::object join_room_changes(WsClient& ws, std::int64_t room, std::optional<std::int64_t> after_seq = std::nullopt) {
  json::object binding{{"event", "INSERT"}, {"schema", "public"}, {"table", "messages"},
                       {"filter", "room_id=eq." + std::to_string(room)}};
  if (after_seq) binding["after_seq"] = *after_seq;
  const json::object join{{"topic", "realtime:room:" + std::to_string(room)},
                          {"event", "phx_join"},
                          {"payload", json::object{{"config", json::object{{"postgres_changes", json::array{binding}}}}}},
                          {"ref", "1"},
                          {"join_ref", "1"}};
  ws.send_raw(json::serialize(join));
  Event reply = ws.wait_event([](const Event& e) { return e.name == "phx_reply" && e.data.at("ref") == "1"; });
  return reply.data.at("payload").as_object();
}

// The seqs of the next `count` rows, then of any that arrive within a quiet window (a repeat
// shows up there).
std::vector<std::int64_t> row_seqs(WsClient& ws, std::size_t count) {
  std::vector<std::int64_t> seqs;
  const auto seq_of = [](const Event& e) {
    return e.data.at("payload").at("data").at("record").at("seq").as_int64();
  };
  const auto is_row = [](const Event& e) { return e.name == "postgres_changes"; };
  while (seqs.size() < count) seqs.push_back(seq_of(ws.wait_event(is_row)));
  while (auto extra = ws.try_wait_event(is_row)) seqs.push_back(seq_of(*extra));
  return seqs;
}

TEST_F(ClusterTest, ARealtimeChannelGetsTheRoomsMessagesFromEveryNodeInSeqOrderOnce) {
  constexpr int kPerSender = 30;
  Account admin = register_user(node(0), "admin");
  Account reader = register_user(node(2), "reader");
  std::vector<Account> senders;
  std::vector<std::int64_t> members{reader.id};
  for (int n = 0; n < kNodes; ++n) {
    senders.push_back(register_user(node(n), "sender"));
    members.push_back(senders.back().id);
  }
  const std::int64_t room = create_group_http(node(0), admin, "supabase", members);

  WsClient channel = realtime_client(node(2), reader);
  const json::object joined = join_room_changes(channel, room);
  ASSERT_EQ(joined.at("status"), "ok") << json::serialize(joined);

  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n)
    threads.emplace_back([&, n] {
      WsClient ws = connect(node(n), senders[static_cast<std::size_t>(n)]);
      for (int m = 0; m < kPerSender; ++m)
        send_text(ws, room, "hello", "n" + std::to_string(n) + "-" + std::to_string(m));
    });
  for (auto& t : threads) t.join();

  const std::int64_t total = kNodes * kPerSender;
  const std::vector<std::int64_t> seen = row_seqs(channel, static_cast<std::size_t>(total));
  EXPECT_EQ(seen, seqs_from(2, total + 1)) << listed(seen);  // seq 1 is the room's creation notice

  // Another node, joined with the seq the client holds: the rest first, from the store, then
  // live ones, each once.
  WsClient late = realtime_client(node(1), reader);
  ASSERT_EQ(join_room_changes(late, room, 10).at("status"), "ok");
  WsClient sender = connect(node(0), senders[0]);
  send_text(sender, room, "after the join", "late-1");
  const std::vector<std::int64_t> caught_up = row_seqs(late, static_cast<std::size_t>(total + 2 - 10));
  EXPECT_EQ(caught_up, seqs_from(11, total + 2)) << listed(caught_up);
}

// Joins `topic` for broadcast, hearing its own when `self`; waits for the join's reply.
void join_broadcast(WsClient& ws, const std::string& topic, bool self) {
  const json::object join{{"topic", topic},
                          {"event", "phx_join"},
                          {"payload", json::object{{"config", json::object{{"broadcast", json::object{{"self", self}}}}}}},
                          {"ref", "1"},
                          {"join_ref", "1"}};
  ws.send_raw(json::serialize(join));
  Event reply = ws.wait_event([&](const Event& e) { return e.name == "phx_reply" && e.data.at("topic") == json::value(topic); });
  ASSERT_EQ(reply.data.at("payload").at("status"), "ok") << json::serialize(reply.data);
}

TEST_F(ClusterTest, ARealtimeBroadcastReachesTheTopicsJoinersOnEveryNodeOnce) {
  Account admin = register_user(node(0), "admin");
  std::vector<Account> users;
  std::vector<std::int64_t> members;
  for (int n = 0; n < kNodes; ++n) {
    users.push_back(register_user(node(n), "typist"));
    members.push_back(users.back().id);
  }
  const std::int64_t room = create_group_http(node(0), admin, "typing", members);
  const std::string topic = "realtime:room:" + std::to_string(room);
  std::vector<WsClient> clients;
  for (int n = 0; n < kNodes; ++n) {
    clients.push_back(realtime_client(node(n), users[static_cast<std::size_t>(n)]));
    join_broadcast(clients.back(), topic, /*self=*/n == 0);
  }

  const json::object typing{{"topic", topic},
                            {"event", "broadcast"},
                            {"payload", json::object{{"type", "broadcast"}, {"event", "typing"}, {"payload", json::object{{"who", "n0"}}}}},
                            {"ref", "2"},
                            {"join_ref", "1"}};
  clients[0].send_raw(json::serialize(typing));
  const auto is_typing = [](const Event& e) {
    return e.name == "broadcast" && e.data.at("payload").at("event") == "typing";
  };
  for (int n = 0; n < kNodes; ++n) {
    Event got = clients[static_cast<std::size_t>(n)].wait_event(is_typing);
    EXPECT_EQ(got.data.at("payload").at("payload").at("who"), "n0") << "on node " << n;
    EXPECT_FALSE(clients[static_cast<std::size_t>(n)].try_wait_event(is_typing)) << "twice on node " << n;
  }
}

}  // namespace
}  // namespace parley::test
