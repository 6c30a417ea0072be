// Files through the SDK: sent as messages, downloaded by the other members byte for byte, and
// kept by the outbox like any message: a file sent offline arrives once when the server is back.
#include <fstream>
#include <iterator>
#include <random>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

// An 8x8 red PNG: small, and a real image for the server's check of the first bytes.
const std::string kPng{"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x08\x00\x00\x00\x08\x08\x06\x00\x00\x00\xc4\x0f\xbe"
                       "\x8b\x00\x00\x00\x12IDATx\x9c\x63\x38\xa1\xa1\xf1\x1f\x1f\x66\x18\x19\x0a\x00\xe7\x64\x85\xc1\x6c"
                       "\xf0\xa9\x38\x00\x00\x00\x00IEND\xae\x42\x60\x82",
                       75};

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::filesystem::path write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string random_bytes(std::size_t n) {
  std::mt19937 random(42);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(random());
  return out;
}

// The room's committed messages, as the server's history has them (fetched into a new device).
std::vector<Message> committed(Client& c, RoomId room) {
  std::vector<Message> out;
  for (const auto& m : c.messages(room, 1000))
    if (m.seq > 0) out.push_back(m);
  return out;
}

using Progress = std::pair<std::int64_t, std::int64_t>;  // bytes done, total


TEST(SdkMedia, AnImageSentByOneMemberIsDownloadedByAnotherWithTheSameBytes) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  auto image = write_file(dirs.sub("photos") / "cat.png", kPng);

  auto sent = must(alice->send_file(room.id, image, {.caption = "my cat", .width = 8, .height = 8}), "send the image");
  EXPECT_EQ(sent.type, "image");
  EXPECT_EQ(sent.state, MessageState::pending);
  ASSERT_TRUE(sent.attachment);
  EXPECT_EQ(sent.attachment->mime_type, "image/png");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));

  ASSERT_TRUE(eventually([&] { return !committed(*bob, room.id).empty(); }));
  auto received = committed(*bob, room.id).back();
  EXPECT_EQ(received.client_msg_id, sent.client_msg_id);
  EXPECT_EQ(received.type, "image");
  EXPECT_EQ(received.text, "my cat");
  ASSERT_TRUE(received.attachment);
  EXPECT_FALSE(received.attachment->upload_id.empty());
  EXPECT_EQ(received.attachment->name, "cat.png");
  EXPECT_EQ(received.attachment->size, static_cast<std::int64_t>(kPng.size()));
  EXPECT_EQ(received.attachment->width, 8);

  std::vector<Progress> progress;
  auto path = must(bob->download(received, [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); }),
                   "download");
  bob->drain();
  EXPECT_EQ(read_all(path), kPng);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), (Progress{std::ssize(kPng), std::ssize(kPng)}));

  // Cached: the second call needs no server at all.
  server.stop();
  EXPECT_EQ(must(bob->download(received), "download from the cache"), path);
  EXPECT_EQ(must(bob->download(received.attachment->upload_id), "by upload id"), path);
  // The sender's copy became its cached file: nothing to fetch back either.
  EXPECT_EQ(read_all(must(alice->download(received), "the sender's own file")), kPng);
}

TEST(SdkMedia, UploadProgressReachesTheTotal) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  const std::string bytes = random_bytes(700 * 1024);
  auto file = write_file(dirs.sub("docs") / "report.bin", bytes);

  std::vector<Progress> progress;
  auto sent = must(alice->send_file(room.id, file, {}, [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); }),
                   "send the file");
  EXPECT_EQ(sent.type, "file");
  EXPECT_EQ(sent.attachment->mime_type, "application/octet-stream");
  ASSERT_TRUE(alice->wait_outbox_empty(30s));
  alice->drain();
  ASSERT_GE(progress.size(), 2u);  // several chunks, each reported
  EXPECT_EQ(progress.back(), (Progress{std::ssize(bytes), std::ssize(bytes)}));
  for (std::size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i].first, progress[i - 1].first);

  ASSERT_TRUE(eventually([&] { return !committed(*bob, room.id).empty(); }));
  EXPECT_EQ(read_all(must(bob->download(committed(*bob, room.id).back()), "download")), bytes);
}

TEST(SdkMedia, AFileSentWhileTheServerIsDownArrivesOnceAfterARestart) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  alice.reset();
  server.stop();

  // Written offline by an app that then deletes its own copy and quits.
  const std::string bytes = random_bytes(200 * 1024);
  auto file = write_file(dirs.sub("docs") / "notes.pdf", bytes);
  std::string client_msg_id;
  {
    auto offline = open_client(server, dirs.sub("alice"));
    auto sent = must(offline->send_file(room.id, file, {.caption = "the notes"}), "send offline");
    EXPECT_EQ(sent.state, MessageState::pending);
    client_msg_id = sent.client_msg_id;
  }
  std::filesystem::remove(file);

  auto reopened = open_client(server, dirs.sub("alice"));
  auto waiting = reopened->messages(room.id);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].state, MessageState::pending);
  EXPECT_EQ(waiting[0].type, "file");

  server.restart();
  reopened->connect();
  ASSERT_TRUE(reopened->wait_online(15s));
  ASSERT_TRUE(reopened->wait_outbox_empty(30s));

  auto mine = reopened->messages(room.id);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].client_msg_id, client_msg_id);
  EXPECT_GT(mine[0].seq, 0);

  // A new device of bob's holds the server's history after its first sync: exactly one
  // message, with the upload.
  auto laptop = online_client(server, dirs.sub("bob-laptop"), "bob", false);
  ASSERT_TRUE(laptop->room(room.id).has_value());
  auto history = laptop->messages(room.id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].client_msg_id, client_msg_id);
  EXPECT_EQ(history[0].text, "the notes");
  ASSERT_TRUE(history[0].attachment);
  EXPECT_FALSE(history[0].attachment->upload_id.empty());
  EXPECT_EQ(history[0].attachment->mime_type, "application/pdf");
  EXPECT_EQ(read_all(must(laptop->download(history[0]), "download")), bytes);
}

TEST(SdkMedia, APngDeclaredAsAudioEndsFailedWithUnsupportedMediaType) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  auto image = write_file(dirs.sub("photos") / "not-a-song.mp3", kPng);

  auto sent = must(alice->send_file(room.id, image, {.type = "audio"}), "send");
  EXPECT_EQ(sent.attachment->mime_type, "audio/mpeg");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  auto mine = alice->messages(room.id);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].state, MessageState::failed);
  EXPECT_EQ(mine[0].failure_code, ErrorCode::unsupported_media_type);
  EXPECT_FALSE(mine[0].failure.empty());

  // A type that cannot fit the file is refused before anything is queued.
  auto png = write_file(dirs.sub("photos") / "cat.png", kPng);
  auto refused = alice->send_file(room.id, png, {.type = "audio"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_payload);
}

}  // namespace
}  // namespace parley::sdk_test
