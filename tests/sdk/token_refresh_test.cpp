// A token refresh is single flight: threads that find the access token refused at the same
// time share one refresh. Two refreshes with the same refresh token would look like theft to
// the server, which then ends the login.
#include <fstream>
#include <latch>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

constexpr int kDownloads = 8;

void expire_access_token(const std::filesystem::path& data_dir) {
  run_local_sql(data_dir, "UPDATE session SET value = 'expired.access.token' WHERE key = 'access_token'");
}

TEST(SdkTokens, ConcurrentRefreshesShareOneRequestAndTheLoginStays) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  auto bob = online_client(server, dirs.sub("bob"), "bob");
  Room room = must(alice->direct_room("bob"), "direct room");
  ASSERT_TRUE(eventually([&] { return bob->room(room.id).has_value(); }));
  // One file for each download at once, and one more for after.
  std::filesystem::create_directories(dirs.sub("files"));
  for (int i = 0; i <= kDownloads; ++i) {
    const auto file = dirs.sub("files") / ("note-" + std::to_string(i) + ".txt");
    std::ofstream(file) << "note " << i;
    must(alice->send_file(room.id, file), "send file");
  }
  ASSERT_TRUE(alice->wait_outbox_empty(30s));
  ASSERT_TRUE(eventually([&] { return bob->messages(room.id).size() == kDownloads + 1; }));
  const auto files = bob->messages(room.id);

  // Every download finds the access token refused at once, and so does the reconnect.
  expire_access_token(dirs.sub("bob"));
  bob->disconnect();
  std::latch start(kDownloads + 1);
  std::vector<Result<std::filesystem::path>> outcomes(kDownloads, fail(ErrorCode::internal, "not run"));
  std::vector<std::jthread> threads;
  for (int i = 0; i < kDownloads; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      outcomes[i] = bob->download(files[i]);
    });
  start.arrive_and_wait();
  bob->connect();
  threads.clear();
  for (int i = 0; i < kDownloads; ++i) {
    ASSERT_TRUE(outcomes[i].has_value()) << outcomes[i].error().message;
    std::ifstream in(*outcomes[i]);
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "note " + std::to_string(i));
  }
  EXPECT_TRUE(bob->wait_online(15s));

  // The login stands: its newest refresh token still buys a new pair.
  expire_access_token(dirs.sub("bob"));
  auto after = bob->download(files[kDownloads]);
  ASSERT_TRUE(after.has_value()) << after.error().message;
}

}  // namespace
}  // namespace parley::sdk_test
