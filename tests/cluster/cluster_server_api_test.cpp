// The server API on a cluster: what the app's backend does through one node reaches clients
// connected to another, a user's logins end on every node, and a key revoked by the command
// line is refused by every node from its next request on.
#include <gtest/gtest.h>

#include "cluster/cluster_fixture.hpp"
#include "support/api_key_cli.hpp"
#include "support/assertions.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

HttpResponse server_api(const TestServer& node, const std::string& key, std::string_view method, std::string_view target,
                        const json::object& body = {}) {
  if (body.empty()) return http_request(node.port(), method, target, {}, key);
  return http_json(node.port(), method, target, body, key);
}

TEST_F(ClusterTest, TheServerApiThroughOneNodeReachesClientsOfAnother) {
  const std::string key = create_api_key(node(0), "backend").key;
  Account alice = register_user(node(1), "alice");
  WsClient ws = connect(node(1), alice);

  HttpResponse bot = server_api(node(0), key, "POST", "/v1/server/users",
                                {{"external_id", "bot|" + unique_username("support")}, {"bot", true}});
  ASSERT_TRUE(is_http_ok(bot));
  const std::int64_t bot_id = get_int(get_obj(bot.object(), "user"), "id");
  HttpResponse made = server_api(node(2), key, "POST", "/v1/server/rooms",
                                 {{"name", "Support"}, {"creator_id", alice.id},
                                  {"members", json::array{json::object{{"user_id", bot_id}}}}});
  ASSERT_TRUE(is_http_ok(made, 201));
  const std::int64_t room = get_int(get_obj(made.object(), "room"), "id");
  wait_room_event(ws, "room.joined", room);

  const json::object send{{"sender_id", bot_id}, {"client_msg_id", "hello-1"}, {"text", "hello"}};
  const std::string messages = "/v1/server/rooms/" + std::to_string(room) + "/messages";
  ASSERT_TRUE(is_http_ok(server_api(node(0), key, "POST", messages, send)));
  EXPECT_EQ(get_int(wait_message(ws, room, "hello-1"), "sender_id"), bot_id);
  // The same send through another node is the same message.
  HttpResponse repeat = server_api(node(2), key, "POST", messages, send);
  ASSERT_TRUE(is_http_ok(repeat));
  EXPECT_TRUE(get_bool(repeat.object(), "duplicate"));

  ASSERT_TRUE(is_http_ok(server_api(node(2), key, "POST", "/v1/server/users/" + std::to_string(alice.id) + "/revoke")));
  EXPECT_EQ(ws.wait_closed(), 4003);
}

TEST_F(ClusterTest, ARevokedKeyIsRefusedByEveryNode) {
  CreatedKey key = create_api_key(node(0), "backend");
  Account alice = register_user(node(0), "alice");
  const std::string presence = "/v1/server/presence?user_ids=" + std::to_string(alice.id);
  for (int i = 0; i < kNodes; ++i) ASSERT_TRUE(is_http_ok(server_api(node(i), key.key, "GET", presence)));
  CliResult revoked = run_api_keys_cli(node(1), {"revoke", std::to_string(key.id)});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  for (int i = 0; i < kNodes; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(is_http_error(server_api(node(i), key.key, "GET", presence), 401, "unauthorized"));
  }
}

}  // namespace
}  // namespace parley::test
