// Push in a cluster: two nodes share one outbox; each message's notification is expanded by one
// node and each notification sent by one node (a node claims a delivery under a lease the other
// respects), and every room's newest message reaches its member's device.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <thread>

#include "cluster/cluster_fixture.hpp"
#include "support/assertions.hpp"
#include "support/webhook_receiver.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

TEST_F(ClusterTest, EachPushNotificationIsSentByOneNode) {
  WebhookReceiver gateway;
  const std::vector<std::string> flags{"--webhook-poll-ms", "20"};
  auto a = start_node(flags);
  auto b = start_node(flags);
  constexpr int kRooms = 4, kPerRoom = 30;
  std::mutex mutex;
  std::map<std::string, std::string> last_of_room;  // pushkey -> event_id of its room's newest message
  std::vector<std::thread> senders;
  for (int r = 0; r < kRooms; ++r) {
    senders.emplace_back([&, r] {
      TestServer& node = r % 2 == 0 ? *a : *b;
      Account sender = register_user(node, "cluster_push");
      Account peer = register_user(node, "cluster_phone");
      const std::string pushkey = "phone-" + std::to_string(r);
      HttpResponse registered = http_json(
          node.port(), "POST", "/v1/push/targets",
          {{"kind", "http"}, {"url", gateway.url()}, {"app_id", "com.example.chat"}, {"pushkey", pushkey}},
          peer.access_token);
      ASSERT_TRUE(is_http_ok(registered)) << registered.body;
      WsClient ws = connect(node, sender);
      const std::int64_t room = direct_room(ws, peer.id);
      const auto sent = send_texts_pipelined(ws, room, "p" + std::to_string(r), kPerRoom);
      std::lock_guard lock(mutex);
      last_of_room[pushkey] = std::to_string(get_int(sent.back(), "id"));
    });
  }
  for (auto& t : senders) t.join();
  auto key_and_event = [](const WebhookReceiver::Received& r) {
    const json::object n = json::parse(r.body).as_object().at("notification").as_object();
    return std::pair{std::string(n.at("devices").as_array()[0].as_object().at("pushkey").as_string()),
                     std::string(n.at("event_id").as_string())};
  };
  ASSERT_TRUE(gateway.wait_until([&](const auto& all) {
    std::size_t newest = 0;
    for (const auto& r : all) {
      const auto [key, event] = key_and_event(r);
      newest += r.status == 200 && last_of_room.at(key) == event;
    }
    return newest >= kRooms;
  }));
  // Bursts are coalesced, so fewer than kPerRoom may arrive per room; none arrives twice.
  std::map<std::pair<std::string, std::string>, int> times;
  for (const auto& r : gateway.received()) ++times[key_and_event(r)];
  for (const auto& [key, n] : times) EXPECT_EQ(n, 1) << key.first << " " << key.second << " arrived " << n << " times";
}

}  // namespace
}  // namespace parley::test
