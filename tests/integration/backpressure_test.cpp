// A reader that falls behind: the server keeps its frames and, once it reads again, writes them
// out whole and in order; one that falls too far behind is closed with 4008, and the server
// goes on serving everyone else.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <charconv>
#include <iostream>
#include <chrono>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace parley::test {
namespace {

// Near the 16 KiB limit of a text, so that these messages (6.4 MB) outgrow what the server's
// socket buffers (at most 4 MB here) and the reader's small one hold together, and the server's
// writes stop being taken whole.
constexpr std::size_t kTextBytes = 16'000;
constexpr int kMessages = 400;
constexpr std::size_t kInFlight = 32;  // bob's sends awaiting their acknowledgement

std::string padded_text(int i) {
  std::string text = "m" + std::to_string(i) + ":";
  text.resize(kTextBytes, static_cast<char>('a' + i % 26));
  return text;
}

// The server's gauge of frames queued on connections and not yet written.
long metric(const TestServer& server, std::string_view name) {
  const auto metrics = http_request(server.port(), "GET", "/metrics").body;
  const std::string line_start = "\n" + std::string(name) + " ";
  const auto at = metrics.find(line_start);
  if (at == std::string::npos) return -1;
  double value = -1;
  const char* begin = metrics.data() + at + line_start.size();
  std::from_chars(begin, metrics.data() + metrics.size(), value);
  return static_cast<long>(value);
}

long queued_frames(const TestServer& server) { return metric(server, "parley_send_queue_frames"); }

// A WebSocket client that reads only when the test asks, with a small receive buffer, as a
// phone on a bad network: the test client (WsClient) reads everything as it comes.
class StalledReader {
 public:
  StalledReader(int port, const std::string& token) : socket_(io_) {
    namespace net = boost::asio;
    socket_.open(net::ip::tcp::v4());
    socket_.set_option(net::socket_base::receive_buffer_size(4096));
    socket_.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    const std::string upgrade = "GET /v1/ws?token=" + token +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    net::write(socket_, net::buffer(upgrade));
    std::string response;
    while (!response.ends_with("\r\n\r\n")) response += read_bytes(1);  // nothing past the header
    if (!response.starts_with("HTTP/1.1 101")) throw std::runtime_error("upgrade refused: " + response);
  }

  // The next text frame's payload, or nullopt at a close frame, whose code goes to close_code.
  // Pings and pongs are skipped.
  std::optional<std::string> next_text() {
    while (true) {
      const std::string head = read_bytes(2);
      const int opcode = static_cast<unsigned char>(head[0]) & 0x0f;
      std::uint64_t length = static_cast<unsigned char>(head[1]) & 0x7f;
      const int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
      if (extended > 0) {
        length = 0;
        for (unsigned char byte : read_bytes(extended)) length = (length << 8) | byte;
      }
      std::string payload = read_bytes(length);
      if (opcode == 0x1) return payload;
      if (opcode == 0x8) {
        close_code = payload.size() >= 2
                         ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
                         : 1005;
        return std::nullopt;
      }
    }
  }

  // Sends one text frame, masked as a client's must be (with a zero key: the bytes go as they are).
  void send_text(const std::string& payload) {
    std::string frame(1, static_cast<char>(0x81));
    if (payload.size() < 126) {
      frame.push_back(static_cast<char>(0x80 | payload.size()));
    } else {
      frame.push_back(static_cast<char>(0x80 | 126));
      frame.push_back(static_cast<char>(payload.size() >> 8));
      frame.push_back(static_cast<char>(payload.size() & 0xff));
    }
    frame.append(4, '\0');
    frame += payload;
    boost::asio::write(socket_, boost::asio::buffer(frame));
  }

  int close_code = 0;

 private:
  std::string read_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    boost::asio::read(socket_, boost::asio::buffer(bytes));
    return bytes;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

class BackpressureTest : public ::testing::Test {
 protected:
  explicit BackpressureTest(std::vector<std::string> flags = {}) : server(std::move(flags)) {}

  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  StalledReader alice_reader{server.port(), alice.access_token};
  WsClient bob_ws = connect(server, bob);
  std::int64_t room_id = direct_room(bob_ws, alice.id);

  void send_all() {
    std::deque<boost::json::value> in_flight;
    auto wait_oldest = [&] {
      ASSERT_TRUE(is_ok(bob_ws.wait_reply(in_flight.front())));
      in_flight.pop_front();
    };
    for (int i = 0; i < kMessages; ++i) {
      in_flight.push_back(bob_ws.send_request("messages.send", {{"room_id", room_id},
                                                                {"client_msg_id", "b-" + std::to_string(i)},
                                                                {"type", "text"},
                                                                {"text", padded_text(i)}}));
      if (in_flight.size() >= kInFlight) wait_oldest();
    }
    while (!in_flight.empty()) wait_oldest();
  }
};

TEST_F(BackpressureTest, AReaderThatFellBehindGetsEveryFrameWholeAndInOrderOnceItReads) {
  send_all();
  // Every send is acknowledged, and alice has read none of it: what her socket would not take
  // waits on the server.
  EXPECT_GT(queued_frames(server), 0) << "the test never made the server wait for its reader";

  int next = 0;
  std::int64_t last_seq = 0;
  while (next < kMessages) {
    const auto text = alice_reader.next_text();
    ASSERT_TRUE(text.has_value()) << "closed with " << alice_reader.close_code << " after message " << next;
    const auto frame = boost::json::parse(*text).as_object();
    if (frame.at("event") != "message") continue;  // ready, presence, room.joined
    const auto& message = frame.at("data").at("message").as_object();
    ASSERT_EQ(message.at("client_msg_id").as_string(), "b-" + std::to_string(next));
    ASSERT_EQ(message.at("text").as_string(), padded_text(next)) << "message " << next;
    EXPECT_GT(message.at("seq").as_int64(), last_seq);
    last_seq = message.at("seq").as_int64();
    ++next;
  }
  // The last bytes can reach alice before the server hears that its write completed, which is
  // when the frames leave its queue: the gauge is read until it settles.
  long queued = queued_frames(server);
  for (int attempt = 0; queued != 0 && attempt < 500; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    queued = queued_frames(server);
  }
  EXPECT_EQ(queued, 0);
}

class SlowConsumerTest : public BackpressureTest {
 protected:
  SlowConsumerTest() : BackpressureTest({"--send-queue-frames", "64"}) {}
};

TEST_F(SlowConsumerTest, AReaderTooFarBehindIsClosedWith4008AndTheOthersCarryOn) {
  send_all();
  while (alice_reader.next_text()) {
  }
  EXPECT_EQ(alice_reader.close_code, 4008);

  // bob, and a new connection of alice's, are served as before.
  send_text(bob_ws, room_id, "after", "b-after");
  WsClient alice_again = connect(server, alice);
  EXPECT_TRUE(is_ok(alice_again.request("ping")));
}

// The report: a client that asks for history page after page and never reads made the server
// hold every reply, up to 4,096 frames of a megabyte or more each. The queue is bounded in bytes.
class HistoryFloodTest : public BackpressureTest {
 protected:
  HistoryFloodTest() : BackpressureTest({"--send-queue-bytes", std::to_string(1 << 20)}) {}
};

TEST_F(HistoryFloodTest, AClientThatAsksAndNeverReadsIsClosedWith4008AndMemoryStaysBounded) {
  constexpr int kPages = 200;  // of ~1.6 MB each: 320 MB if they were all kept
  for (int i = 0; i < 100; ++i) send_text(bob_ws, room_id, padded_text(i), "h-" + std::to_string(i));
  for (int i = 0; i < kPages; ++i)
    alice_reader.send_text(R"({"id":)" + std::to_string(i) + R"(,"op":"messages.history","room_id":)" +
                           std::to_string(room_id) + R"(,"limit":100})");
  // Bob goes on meanwhile.
  send_text(bob_ws, room_id, "while alice floods", "b-during");

  const long heap = metric(server, "parley_heap_bytes");
  std::cout << "server heap after the flood: " << heap << " bytes\n";
  EXPECT_LT(heap, 64L << 20) << "the replies were kept";
  while (alice_reader.next_text()) {
  }
  EXPECT_EQ(alice_reader.close_code, 4008);
  send_text(bob_ws, room_id, "after", "b-after");
  WsClient alice_again = connect(server, alice);
  EXPECT_TRUE(is_ok(alice_again.request("ping")));
}

}  // namespace
}  // namespace parley::test
