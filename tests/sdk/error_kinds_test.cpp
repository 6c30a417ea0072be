// Every error kind the SDK reports is reached, each with a message a person can read.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

void expect_kind(const Error& e, ErrorKind kind) {
  EXPECT_EQ(e.kind(), kind) << "got " << to_string(e.kind()) << ": " << e.message;
  EXPECT_FALSE(e.message.empty());
}

template <class T>
Error error_of(Result<T> r) {
  EXPECT_FALSE(r.has_value());
  return r ? Error{} : r.error();
}

// Stands in for a server that is overloaded: it answers one request with 503 and Parley's
// error body. parleyd cannot be made to fail on demand, and what is under test is the SDK's
// reading of such an answer.
class OverloadedServer {
 public:
  OverloadedServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 1);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      char buffer[4096];
      (void)read(conn, buffer, sizeof buffer);
      const std::string body = R"({"error":{"code":"unavailable","message":"the server is overloaded; retry shortly"}})";
      const std::string response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
      (void)write(conn, response.data(), response.size());
      close(conn);
    });
  }
  ~OverloadedServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(SdkErrors, EveryKindIsReachedWithAReadableMessage) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  auto bob = online_client(server, dirs.sub("bob"), "bob");
  auto bob_user = *bob->me();
  Room group = must(alice->create_group("team", {bob_user.id}), "create group");
  ASSERT_TRUE(eventually([&] { return bob->room(group.id).has_value(); }));

  // unauthorized: a wrong password.
  auto stranger = open_client(server, dirs.sub("stranger"));
  expect_kind(error_of(stranger->login("alice", "not the password")), ErrorKind::unauthorized);
  // conflict: a username already taken.
  expect_kind(error_of(stranger->register_account("Alice", "password-x")), ErrorKind::conflict);
  // forbidden: a member may not rename the group.
  expect_kind(error_of(bob->rename_group(group.id, "mine now")), ErrorKind::forbidden);
  // not_found: a room one is not in.
  expect_kind(error_of(bob->members(RoomId{987654})), ErrorKind::not_found);
  // invalid: a blank group name.
  expect_kind(error_of(alice->create_group("   ", {})), ErrorKind::invalid);
  // server: the server says it is overloaded.
  OverloadedServer overloaded;
  ClientOptions options;
  options.server = overloaded.url();
  options.data_dir = dirs.sub("overloaded");
  auto against_overloaded = must(Client::open(options), "open");
  expect_kind(error_of(against_overloaded->login("alice", "password-alice")), ErrorKind::server);
  // network: the server is gone.
  server.stop();
  ASSERT_TRUE(eventually([&] { return alice->connection_state() != ConnectionState::online; }));
  expect_kind(error_of(alice->direct_room("bob")), ErrorKind::network);
  expect_kind(error_of(stranger->login("alice", "password-alice")), ErrorKind::network);
}

TEST(SdkErrors, RateLimitedIsReported) {
  test::TestServer server({"--rate-limit", "1", "--rate-burst", "3"});
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  std::optional<Error> limited;
  for (int i = 0; i < 20 && !limited; ++i) {
    auto answer = alice->members(RoomId{1});
    if (!answer && answer.error().kind() == ErrorKind::rate_limited) limited = answer.error();
  }
  ASSERT_TRUE(limited.has_value());
  expect_kind(*limited, ErrorKind::rate_limited);
  EXPECT_GT(limited->retry_after_ms, 0);
}

TEST(SdkErrors, AMessageTheServerRefusesEndsFailedWithoutBlockingTheOutbox) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  auto bob = online_client(server, dirs.sub("bob"), "bob");
  Room room = must(alice->direct_room("bob"), "direct room");
  // An image whose attachment says audio: the server refuses it, now and on every retry.
  Attachment wrong{"", "song.ogg", "audio/ogg", 1234, std::nullopt, std::nullopt, std::nullopt};
  auto refused = must(alice->send(room.id, "image", "", wrong), "send");
  auto after = must(alice->send_text(room.id, "this one goes"), "send");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));

  auto state_of = [&](const std::string& id) -> std::optional<Message> {
    for (const auto& m : alice->messages(room.id))
      if (m.client_msg_id == id) return m;
    return std::nullopt;
  };
  auto failed = state_of(refused.client_msg_id);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->state, MessageState::failed);
  EXPECT_FALSE(failed->failure.empty());
  auto went = state_of(after.client_msg_id);
  ASSERT_TRUE(went);
  EXPECT_GT(went->seq, 0);

  must(alice->retry(refused.client_msg_id), "retry");
  ASSERT_TRUE(eventually([&] { auto m = state_of(refused.client_msg_id); return m && m->state == MessageState::failed; }));
  must(alice->discard(refused.client_msg_id), "discard");
  EXPECT_FALSE(state_of(refused.client_msg_id));
  expect_kind(error_of(alice->discard(refused.client_msg_id)), ErrorKind::not_found);
}

}  // namespace
}  // namespace parley::sdk_test
