// Webhooks in a cluster: two nodes with the same endpoint share one outbox; every delivery
// reaches the receiver, and none from two nodes (each webhook-id arrives once: a node claims
// a delivery under a lease the other respects).
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "cluster/cluster_fixture.hpp"
#include "support/webhook_receiver.hpp"

namespace parley::test {
namespace {

constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

TEST_F(ClusterTest, EachWebhookDeliveryIsDeliveredByOneNode) {
  WebhookReceiver receiver;
  const std::vector<std::string> flags{"--webhook", receiver.url() + " events=message.created secret=" + std::string(kSecret),
                                       "--webhook-poll-ms", "20"};
  auto a = start_node(flags);
  auto b = start_node(flags);
  constexpr int kRooms = 4, kPerRoom = 50;
  std::vector<std::thread> senders;
  for (int r = 0; r < kRooms; ++r) {
    senders.emplace_back([&, r] {
      TestServer& node = r % 2 == 0 ? *a : *b;
      Account sender = register_user(node, "cluster_hook");
      Account peer = register_user(node, "cluster_peer");
      WsClient ws = connect(node, sender);
      const std::int64_t room = direct_room(ws, peer.id);
      send_texts_pipelined(ws, room, "c" + std::to_string(r), kPerRoom);
    });
  }
  for (auto& t : senders) t.join();
  ASSERT_TRUE(receiver.wait_until([](const auto& all) {
    std::size_t ok = 0;
    for (const auto& r : all) ok += r.status == 200;
    return ok >= kRooms * kPerRoom;
  }));
  std::map<std::string, int> times;
  for (const auto& r : receiver.received()) ++times[r.id];
  EXPECT_EQ(times.size(), static_cast<std::size_t>(kRooms * kPerRoom));
  for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id << " arrived " << n << " times";
}

}  // namespace
}  // namespace parley::test
