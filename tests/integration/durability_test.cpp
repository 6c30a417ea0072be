// Nothing acknowledged is lost: a server killed (SIGKILL) or stopped (SIGTERM) in the middle of
// a stream of sends still has, after a restart on the same data directory, every message it
// acknowledged, with gapless seqs; and resending the unacknowledged ones stores no duplicate.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kWindow = 16;          // sends in flight
constexpr int kAcksBeforeStop = 150; // the server goes down once this many have been acknowledged

// Sends texts into a room on its own thread, as fast as the window allows, until the connection
// dies. Records every client_msg_id it sent and every acknowledgement it received.
class Streamer {
 public:
  Streamer(WsClient& ws, std::int64_t room_id) : ws_(ws), room_id_(room_id), thread_([this] { run(); }) {}
  ~Streamer() {
    stop_ = true;  // when a test gives up early, the stream must not outlive it
    join();
  }

  // Waits (bounded) until `n` sends are acknowledged; false if the stream ended or stalled first.
  bool wait_for_acks(int n) {
    for (auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
      if (acked_count_.load() >= n) return true;
      if (finished_.load()) return false;
      std::this_thread::sleep_for(2ms);
    }
    return false;
  }
  void join() {
    if (thread_.joinable()) thread_.join();
  }

  // Read these after join().
  std::vector<std::string> sent;                 // in sending order
  std::map<std::string, json::object> acked;     // client_msg_id -> stored message
  std::vector<std::string> unexpected;           // error replies other than a shutdown's

 private:
  void run() {
    std::deque<std::pair<json::value, std::string>> in_flight;
    try {
      for (int k = 0; !stop_; ++k) {
        if (in_flight.size() >= kWindow) {
          record(ws_.wait_reply(in_flight.front().first), in_flight.front().second);
          in_flight.pop_front();
        }
        const std::string cid = "d-" + std::to_string(k);
        sent.push_back(cid);
        in_flight.emplace_back(ws_.send_request("messages.send", {{"room_id", room_id_},
                                                                  {"client_msg_id", cid},
                                                                  {"type", "text"},
                                                                  {"text", "durable " + cid}}),
                               cid);
      }
    } catch (const std::exception&) {
      // The server went away. Replies that arrived before it did are still acknowledgements,
      // in whatever order they came.
      for (const auto& [id, cid] : in_flight) {
        try {
          record(ws_.wait_reply(id), cid);
        } catch (const std::exception&) {
        }
      }
    }
    finished_ = true;
  }

  void record(const WsReply& reply, const std::string& cid) {
    if (reply.ok()) {
      acked[cid] = get_obj(reply.data(), "message");
      ++acked_count_;
    } else if (reply.error_code() != "unavailable") {  // a shutting-down server may refuse
      unexpected.push_back(reply.dump());
    }
  }

  WsClient& ws_;
  std::int64_t room_id_;
  std::atomic<int> acked_count_{0};
  std::atomic<bool> finished_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: starts once everything above exists
};

// Checks the history after a restart against what the stream was told, then resends every
// client_msg_id: acknowledged and committed ones come back as duplicates with their seq, the
// rest are stored once. Afterwards every sent message is there exactly once, gapless.
void expect_durable(const TestServer& server, const Account& sender, std::int64_t room_id, const Streamer& stream) {
  EXPECT_TRUE(stream.unexpected.empty()) << "unexpected error replies, first: " << stream.unexpected.front();
  WsClient ws = connect(server, sender);

  const std::vector<json::object> history = fetch_history(ws, room_id);
  std::map<std::string, std::int64_t> stored;  // client_msg_id -> seq
  for (std::size_t i = 0; i < history.size(); ++i) {
    ASSERT_EQ(get_int(history[i], "seq"), static_cast<std::int64_t>(i + 1)) << "seqs are gapless from 1";
    const bool fresh = stored.emplace(get_str(history[i], "client_msg_id"), get_int(history[i], "seq")).second;
    EXPECT_TRUE(fresh) << "stored twice: " << json::serialize(history[i]);
  }
  EXPECT_GE(history.size(), stream.acked.size());
  for (const auto& [cid, message] : stream.acked) {
    auto it = stored.find(cid);
    ASSERT_NE(it, stored.end()) << "acknowledged but lost: " << json::serialize(message);
    EXPECT_EQ(it->second, get_int(message, "seq")) << cid;
  }
  const std::set<std::string> sent(stream.sent.begin(), stream.sent.end());
  for (const auto& [cid, seq] : stored) EXPECT_TRUE(sent.contains(cid)) << "never sent: " << cid;

  // Resend everything, in the original order.
  std::int64_t next_seq = static_cast<std::int64_t>(history.size()) + 1;
  for (const std::string& cid : stream.sent) {
    WsReply reply = ws.request("messages.send", {{"room_id", room_id}, {"client_msg_id", cid}, {"type", "text"},
                                                 {"text", "durable " + cid}});
    ASSERT_TRUE(is_ok(reply));
    const std::int64_t seq = get_int(get_obj(reply.data(), "message"), "seq");
    if (auto it = stored.find(cid); it != stored.end()) {
      EXPECT_TRUE(get_bool(reply.data(), "duplicate")) << reply.dump();
      EXPECT_EQ(seq, it->second) << cid;
    } else {
      EXPECT_FALSE(get_bool(reply.data(), "duplicate")) << reply.dump();
      EXPECT_EQ(seq, next_seq++) << cid;
    }
  }

  const std::vector<json::object> after = fetch_history(ws, room_id);
  ASSERT_EQ(after.size(), sent.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(get_int(after[i], "seq"), static_cast<std::int64_t>(i + 1));
    EXPECT_TRUE(seen.insert(get_str(after[i], "client_msg_id")).second) << json::serialize(after[i]);
  }
}

TEST(DurabilityTest, EverythingAcknowledgedSurvivesSigkill) {
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  WsClient ws = connect(server, alice);
  // A direct room has no system messages: the stream's messages are seq 1, 2, 3, ...
  const std::int64_t room_id = direct_room(ws, bob.id);

  Streamer stream(ws, room_id);
  ASSERT_TRUE(stream.wait_for_acks(kAcksBeforeStop)) << "the stream stalled before the kill";
  server.kill();
  stream.join();
  EXPECT_GE(stream.acked.size(), static_cast<std::size_t>(kAcksBeforeStop));
  EXPECT_EQ(ws.wait_closed(), kAbnormalClosure);

  server.restart();
  expect_durable(server, alice, room_id, stream);
}

TEST(DurabilityTest, SigtermClosesClientsWith1001AndKeepsEverythingAcknowledged) {
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  const std::int64_t room_id = direct_room(alice_ws, bob.id);

  Streamer stream(alice_ws, room_id);
  ASSERT_TRUE(stream.wait_for_acks(kAcksBeforeStop)) << "the stream stalled before the shutdown";
  EXPECT_EQ(server.stop(), 0) << "SIGTERM should end parleyd cleanly";
  stream.join();

  EXPECT_EQ(bob_ws.wait_closed(), 1001);
  EXPECT_EQ(alice_ws.wait_closed(), 1001);

  server.restart();
  expect_durable(server, alice, room_id, stream);
}

}  // namespace
}  // namespace parley::test
