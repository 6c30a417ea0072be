// The read_receipts setting: part of the caller's own account (`me`), changed with me.update or
// PATCH /v1/me, and shown to nobody else. What it does to receipts: private_receipts_test.cpp.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

namespace parley::test {
namespace {

namespace json = boost::json;
using std::nullopt;

class ReadReceiptsSettingTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
};

TEST_F(ReadReceiptsSettingTest, TheSettingIsEveryoneByDefaultAndChangesOverWebSocketAndHttp) {
  WsClient bob_ws = connect(server, bob);
  EXPECT_EQ(get_str(require_ok(bob_ws.request("me"), "me"), "read_receipts"), "everyone");

  const json::object changed = require_ok(bob_ws.request("me.update", {{"read_receipts", "private"}}), "me.update");
  EXPECT_EQ(get_int(changed, "id"), bob.id);
  EXPECT_EQ(get_str(changed, "username"), bob.username);
  EXPECT_EQ(get_str(changed, "read_receipts"), "private");
  HttpResponse me = http_request(server.port(), "GET", "/v1/me", {}, bob.access_token);
  ASSERT_TRUE(is_http_ok(me));
  EXPECT_EQ(me.object(), changed);
  // A new connection starts from it too.
  WsClient bob_again(server.port(), "/v1/ws?token=" + bob.access_token);
  EXPECT_EQ(get_obj(bob_again.next_event("ready").data, "user"), changed);

  HttpResponse back = http_json(server.port(), "PATCH", "/v1/me", {{"read_receipts", "everyone"}}, bob.access_token);
  ASSERT_TRUE(is_http_ok(back));
  EXPECT_EQ(get_str(back.object(), "read_receipts"), "everyone");
  EXPECT_EQ(get_str(require_ok(bob_ws.request("me"), "me"), "read_receipts"), "everyone");

  // It is bob's own business: what others see of him does not carry it.
  WsClient alice_ws = connect(server, alice);
  const json::object seen = require_ok(alice_ws.request("users.get", {{"username", bob.username}}), "users.get");
  EXPECT_FALSE(seen.contains("read_receipts")) << json::serialize(seen);
}

TEST_F(ReadReceiptsSettingTest, AnUnknownOrMissingValueIsInvalidAndChangesNothing) {
  WsClient bob_ws = connect(server, bob);
  EXPECT_TRUE(is_error(bob_ws.request("me.update", {{"read_receipts", "nobody"}}), "invalid_payload"));
  EXPECT_TRUE(is_error(bob_ws.request("me.update", {{"read_receipts", true}}), "invalid_payload"));
  EXPECT_TRUE(is_error(bob_ws.request("me.update"), "invalid_payload"));
  EXPECT_TRUE(is_http_error(
      http_json(server.port(), "PATCH", "/v1/me", {{"read_receipts", "Private"}}, bob.access_token), 400,
      "invalid_payload"));
  EXPECT_TRUE(is_http_error(http_json(server.port(), "PATCH", "/v1/me", {{"read_receipts", "private"}}, nullopt),
                            401, "unauthorized"));
  EXPECT_EQ(get_str(require_ok(bob_ws.request("me"), "me"), "read_receipts"), "everyone");
}

}  // namespace
}  // namespace parley::test
