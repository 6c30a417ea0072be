// A room that reaches a device through sync (joined while the device was away) arrives with
// its newest messages, so that it reads offline the same as online.
#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

TEST(SdkOfflineRooms, ARoomJoinedWhileOfflineIsReadableOfflineAfterOneSync) {
  test::TestServer server;
  ScratchDir dirs;
  auto bob = open_client(server, dirs.sub("bob"));
  auto bob_user = must(bob->register_account("bob", "password-bob"), "register");  // and stays offline

  auto alice = online_client(server, dirs.sub("alice"), "alice");
  Room group = must(alice->create_group("while you were out", {bob_user.id}), "create group");
  for (int i = 1; i <= 3; ++i) must(alice->send_text(group.id, "news " + std::to_string(i)), "send");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));

  bob->connect();
  ASSERT_TRUE(bob->wait_online(15s));
  bob->disconnect();
  server.stop();

  ASSERT_TRUE(bob->room(group.id).has_value());
  std::vector<std::string> texts;
  for (const auto& m : bob->messages(group.id))
    if (m.type == "text") texts.push_back(m.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"news 1", "news 2", "news 3"}));
}

}  // namespace
}  // namespace parley::sdk_test
