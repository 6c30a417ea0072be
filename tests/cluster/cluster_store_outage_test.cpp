// PostgreSQL restarted under a running cluster: sends during the outage are refused as
// `unavailable` with a time to wait, never `internal` and never left hanging; the first
// requests after it succeed; nobody stays online for good; and a connection that arrives
// during the outage is closed with a code that makes its client come back.
#include <gtest/gtest.h>

#include "cluster/cluster_fixture.hpp"
#include "support/live_state_fixtures.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

class ClusterStoreOutageTest : public ClusterTest {
 protected:
  [[nodiscard]] bool own_postgres() const override { return true; }
};

TEST_F(ClusterStoreOutageTest, APostgresRestartIsAPauseNotAFault) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(0), "bob");
  Account carol = register_user(node(0), "carol");
  std::int64_t room = create_group_http(node(0), alice, "team", {bob.id, carol.id});
  WsClient bob_ws = connect(node(1), bob);
  WsClient alice_ws = connect(node(0), alice);
  bob_ws.wait_event([&](const Event& e) { return is_online_presence(e, alice.id, true); });
  send_text(alice_ws, room, "before", "before-1");

  postgres().stop();

  // Every node refuses with `unavailable` and a time to wait.
  for (int n = 0; n < kNodes; ++n) {
    WsClient& ws = n == 0 ? alice_ws : bob_ws;
    WsReply refused = ws.request("messages.send", {{"room_id", room},
                                                    {"client_msg_id", "during-" + std::to_string(n)},
                                                    {"type", "text"},
                                                    {"text", "during the outage"}});
    ASSERT_FALSE(refused.ok()) << refused.dump();
    EXPECT_EQ(refused.error_code(), "unavailable") << refused.dump();
    EXPECT_GT(refused.frame.at("error").at("retry_after_ms").as_int64(), 0) << refused.dump();
  }
  HttpResponse over_http = http_json(node(2).port(), "POST", "/v1/rooms/" + std::to_string(room) + "/messages",
                                     {{"client_msg_id", "during-http"}, {"type", "text"}, {"text", "x"}},
                                     carol.access_token);
  EXPECT_EQ(over_http.status, 503) << over_http.body;
  EXPECT_EQ(over_http.object().at("error").at("code"), "unavailable") << over_http.body;

  // Alice's only device goes while her going cannot be written or read.
  alice_ws.close();

  // A device that arrives now cannot be given its rooms: it is closed with 1013, try again later.
  WsClient carol_ws(node(2).port());
  carol_ws.send_request("auth", {{"token", carol.access_token}});
  EXPECT_EQ(carol_ws.wait_closed(), 1013);

  postgres().start();

  // The first requests through every node succeed: a broken pooled connection is reopened.
  for (int n = 0; n < kNodes; ++n) {
    HttpResponse sent = http_json(node(n).port(), "POST", "/v1/rooms/" + std::to_string(room) + "/messages",
                                  {{"client_msg_id", "after-" + std::to_string(n)}, {"type", "text"}, {"text", "back"}},
                                  carol.access_token);
    EXPECT_EQ(sent.status, 200) << "node " << n << ": " << sent.body;
    HttpResponse read = http_request(node(n).port(), "GET", "/v1/rooms/" + std::to_string(room) + "/messages", {},
                                     carol.access_token);
    EXPECT_EQ(read.status, 200) << "node " << n << ": " << read.body;
  }
  // Bob, who stayed connected, hears of Alice's going once the store is back.
  bob_ws.wait_event([&](const Event& e) { return is_online_presence(e, alice.id, false); });
  WsClient carol_again = connect(node(2), carol);
  send_text(carol_again, room, "hello again", "carol-again");
  wait_message(bob_ws, room, "carol-again");

  EXPECT_NE(node(0).log().find("store: writes are failing"), std::string::npos);
  EXPECT_NE(node(0).log().find("store: writes succeed again"), std::string::npos) << node(0).log();
  const std::string metrics = http_request(node(0).port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("parley_store_errors_total{kind=\"unavailable\"} "), std::string::npos);
  EXPECT_EQ(metrics.find("parley_store_errors_total{kind=\"unavailable\"} 0\n"), std::string::npos)
      << "the refused sends are counted";
}

}  // namespace
}  // namespace parley::test
