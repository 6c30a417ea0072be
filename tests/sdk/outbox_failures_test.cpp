// send returns once the message is on disk, or fails with the reason: nothing pretends. A
// message that can never be sent is refused before it enters the outbox.
#include <fstream>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

TEST(SdkOutbox, ASendTheDiskRefusesFailsAndLeavesNothingBehind) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  auto bob = online_client(server, dirs.sub("bob"), "bob");
  Room room = must(alice->direct_room("bob"), "direct room");

  // The outbox table refuses every write, as a full disk does.
  run_local_sql(dirs.sub("alice"),
                "CREATE TRIGGER disk_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
  auto refused = alice->send_text(room.id, "never on disk");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("disk is full"), std::string::npos) << refused.error().message;
  const auto file = dirs.sub("files") / "note.txt";
  std::filesystem::create_directories(file.parent_path());
  { std::ofstream(file) << "a note"; }
  EXPECT_FALSE(alice->send_file(room.id, file).has_value());
  EXPECT_TRUE(alice->messages(room.id).empty());
  EXPECT_FALSE(std::filesystem::exists(dirs.sub("alice") / "outbox-files") &&
               !std::filesystem::is_empty(dirs.sub("alice") / "outbox-files"));

  // Room on the disk again: sends work as before.
  run_local_sql(dirs.sub("alice"), "DROP TRIGGER disk_full");
  must(alice->send_text(room.id, "on disk"), "send");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  ASSERT_TRUE(eventually([&] { return bob->messages(room.id).size() == 1; }));
  EXPECT_EQ(bob->messages(room.id).front().text, "on disk");
}

TEST(SdkOutbox, TextThatCanNeverGoIsRefusedAtOnce) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  online_client(server, dirs.sub("bob"), "bob");
  Room room = must(alice->direct_room("bob"), "direct room");

  auto not_utf8 = alice->send_text(room.id, "caf\xc3");
  ASSERT_FALSE(not_utf8.has_value());
  EXPECT_EQ(not_utf8.error().code, ErrorCode::invalid_utf8);
  auto too_long = alice->send_text(room.id, std::string(16 * 1024 + 1, 'x'));
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, ErrorCode::payload_too_large);
  // Other calls with such text fail alone; the connection stays.
  auto group = alice->create_group("bad \xff name", {});
  ASSERT_FALSE(group.has_value());
  EXPECT_EQ(group.error().code, ErrorCode::invalid_utf8);

  must(alice->send_text(room.id, "café"), "send");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  auto held = alice->messages(room.id);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_GT(held.front().seq, 0);
  EXPECT_EQ(alice->connection_state(), ConnectionState::online);
}

}  // namespace
}  // namespace parley::sdk_test
