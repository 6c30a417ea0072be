// API keys for the server API: made, listed and revoked by `parleyd api-keys` against the store
// of a running server; a revoked key refused from its next request; and neither credential
// taken for the other: an API key is no user token, a user token no API key.
#include "support/api_key_cli.hpp"
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

namespace parley::test {
namespace {

namespace json = boost::json;

// A request of the server API that needs no state: the presence of one user.
HttpResponse presence_of(const TestServer& server, std::int64_t user, std::optional<std::string> key) {
  return http_request(server.port(), "GET", "/v1/server/presence?user_ids=" + std::to_string(user), {}, std::move(key));
}

class ApiKeysTest : public ::testing::Test {
 protected:
  TestServer server;
};

TEST_F(ApiKeysTest, TheCliMakesListsAndRevokesKeysOfTheRunningServer) {
  Account alice = register_user(server, "alice");
  CreatedKey key = create_api_key(server, "billing backend");
  EXPECT_TRUE(key.key.starts_with("pk_" + std::to_string(key.id) + "_"));

  auto rows = list_api_keys(server);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 5u);
  EXPECT_EQ(rows[0][0], std::to_string(key.id));
  EXPECT_EQ(rows[0][1], "billing backend");
  EXPECT_EQ(rows[0][3], "-");  // never used
  EXPECT_EQ(rows[0][4], "-");  // not revoked
  // Only the hash is kept: the key is shown by create, never by list.
  const std::string listing = run_api_keys_cli(server, {"list"}).output;
  EXPECT_EQ(listing.find(key.key), std::string::npos);

  ASSERT_TRUE(is_http_ok(presence_of(server, alice.id, key.key)));

  CliResult revoked = run_api_keys_cli(server, {"revoke", std::to_string(key.id)});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  EXPECT_TRUE(is_http_error(presence_of(server, alice.id, key.key), 401, "unauthorized"));

  rows = list_api_keys(server);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0][3], "-");  // used once
  EXPECT_NE(rows[0][4], "-");  // revoked
}

TEST_F(ApiKeysTest, RevokingOneKeyLeavesTheOthersWorking) {
  Account alice = register_user(server, "alice");
  CreatedKey first = create_api_key(server, "first");
  CreatedKey second = create_api_key(server, "second");
  ASSERT_EQ(run_api_keys_cli(server, {"revoke", std::to_string(first.id)}).exit_code, 0);
  EXPECT_TRUE(is_http_error(presence_of(server, alice.id, first.key), 401, "unauthorized"));
  EXPECT_TRUE(is_http_ok(presence_of(server, alice.id, second.key)));
}

TEST_F(ApiKeysTest, TheCliRefusesAnUnknownKeyAndAMissingName) {
  CliResult unknown = run_api_keys_cli(server, {"revoke", "424242"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("no such API key"), std::string::npos) << unknown.output;
  EXPECT_EQ(run_api_keys_cli(server, {"create"}).exit_code, 2);
  EXPECT_EQ(run_api_keys_cli(server, {"create", "--name", ""}).exit_code, 2);
  EXPECT_EQ(run_api_keys_cli(server, {"create", "--name", "two\tfields"}).exit_code, 2);
}

TEST_F(ApiKeysTest, AKeyThatIsNotOneIsRefused) {
  Account alice = register_user(server, "alice");
  CreatedKey key = create_api_key(server, "backend");
  const std::string wrong_secret = "pk_" + std::to_string(key.id) + "_" + std::string(43, 'A');
  // The right secret under another id: a key is one string, not a secret that fits any id.
  const std::string wrong_id = "pk_" + std::to_string(key.id + 1) + key.key.substr(key.key.find('_', 3));
  for (const std::string& bad : {wrong_secret, wrong_id, std::string("pk_"), std::string("pk_x_y"), std::string("nonsense")}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(is_http_error(presence_of(server, alice.id, bad), 401, "unauthorized"));
  }
  EXPECT_TRUE(is_http_error(presence_of(server, alice.id, std::nullopt), 401, "unauthorized"));
}

TEST_F(ApiKeysTest, AnApiKeyIsNeverAUserToken) {
  CreatedKey key = create_api_key(server, "backend");
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/me", {}, key.key), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/rooms", {}, key.key), 401, "unauthorized"));
  WsClient ws(server.port());
  EXPECT_TRUE(is_error(ws.auth(key.key), "unauthorized"));
  EXPECT_EQ(ws_upgrade_status(server.port(), "/v1/ws?token=" + key.key), 401);
}

TEST_F(ApiKeysTest, AUserTokenIsNeverAnApiKey) {
  Account alice = register_user(server, "alice");
  EXPECT_TRUE(is_http_error(presence_of(server, alice.id, alice.access_token), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(http_json(server.port(), "POST", "/v1/server/users", {{"external_id", "x"}}, alice.access_token),
                            401, "unauthorized"));
  // Nor do the server API's operations exist on a user's WebSocket.
  WsClient ws = connect(server, alice);
  EXPECT_TRUE(is_error(ws.request("server.users.upsert", {{"external_id", "x"}}), "unknown_op"));
}

}  // namespace
}  // namespace parley::test
