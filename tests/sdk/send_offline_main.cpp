// A client process for the offline test: opens the SDK on a data directory, writes N messages
// while the server is down (they stay pending in the outbox on disk), and exits.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <parley/client.hpp>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SERVER_URL DATA_DIR ROOM_ID COUNT\n", argv[0]);
    return 2;
  }
  parley::ClientOptions options;
  options.server = argv[1];
  options.data_dir = argv[2];
  auto client = parley::Client::open(options);
  if (!client) {
    std::fprintf(stderr, "open: %s\n", client.error().message.c_str());
    return 1;
  }
  parley::RoomId room{std::atoll(argv[3])};
  const int count = std::atoi(argv[4]);
  for (int i = 1; i <= count; ++i) {
    auto sent = (*client)->send_text(room, "offline " + std::to_string(i));
    if (!sent || sent->state != parley::MessageState::pending) {
      std::fprintf(stderr, "send %d: %s\n", i, sent ? "not pending" : sent.error().message.c_str());
      return 1;
    }
  }
  return 0;  // exits with everything still pending
}
