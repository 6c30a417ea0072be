// The server's VAPID key: made on the first start into the data directory, readable by its owner
// only, the same after a restart, handed to signed-in clients, and a start-up error when its
// file is damaged (rather than a new key, which would end every browser's subscription).
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

namespace parley::test {
namespace {

[[nodiscard]] std::string webpush_key(const TestServer& server, const Account& account) {
  auto res = http_request(server.port(), "GET", "/v1/push/webpush-key", {}, account.access_token);
  EXPECT_EQ(res.status, 200) << res.body;
  return get_str(res.json.as_object(), "public_key");
}

TEST(WebPushKey, IsMadeOnceKeptPrivateAndHandedToSignedInClients) {
  TestServer server;
  const auto file = server.data_dir() / "vapid.key";
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0) << "no " << file;
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  const Account alice = register_user(server, "alice");
  const std::string key = webpush_key(server, alice);
  // An uncompressed P-256 point: 65 bytes, 87 characters of base64url, starting with 0x04.
  EXPECT_EQ(key.size(), 87u) << key;
  EXPECT_EQ(key[0], 'B') << key;

  EXPECT_EQ(http_request(server.port(), "GET", "/v1/push/webpush-key", {}, std::nullopt).status, 401);

  server.restart();
  EXPECT_EQ(webpush_key(server, login(server, alice.username)), key);
}

TEST(WebPushKey, ADamagedKeyFileStopsTheStart) {
  TestServer server;
  server.stop();
  std::ofstream(server.data_dir() / "vapid.key", std::ios::trunc) << "not-a-key\n";
  try {
    server.restart();
    ADD_FAILURE() << "parleyd started with a damaged VAPID key";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the VAPID key"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace parley::test
