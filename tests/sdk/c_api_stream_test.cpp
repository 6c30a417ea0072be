// The C API's update stream and threads: order of sends, many threads at once, updates lost
// when the stream is full, and the log callback.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "c_api_fixture.hpp"

namespace parley::c_api_test {
namespace {

// A server, a signed-in client online, and a group of its own.
struct OnlineWithGroup {
  OnlineWithGroup(const std::string& username, const json::object& options = {}) : c(server, dir.path(), options) {
    c.sign_up_online(username);
    room = c.data({{"type", "create_group"}, {"name", username + "'s group"}}).at("id").as_int64();
  }
  TestServer server;
  ScratchDir dir;
  CClient c;
  std::int64_t room = 0;
};

TEST(CApiStream, SentMessagesComeBackAsUpdatesInTheOrderSent) {
  OnlineWithGroup online("dave");
  auto& c = online.c;
  const auto room = online.room;
  constexpr int kMessages = 20;
  for (int i = 0; i < kMessages; ++i)
    c.send({{"type", "send_text"}, {"room_id", room}, {"text", "number " + std::to_string(i)}, {"@extra", i}});
  // Every one answered, and each comes back from the server.
  std::set<std::string> sent_texts;
  auto all_sent = c.receive_until([&](const json::object& u) {
    // Committed by the server: it has a seq (its state is sent, or already delivered or read).
    if (u.at("type") == "message" && u.at("message").at("seq").to_number<std::int64_t>() > 0)
      sent_texts.insert(std::string(u.at("message").at("text").as_string()));
    return sent_texts.size() == kMessages;
  });
  ASSERT_TRUE(all_sent);
  std::set<std::int64_t> answered;
  for (const auto& u : c.seen())
    if (u.at("type") == "answer") {
      EXPECT_TRUE(u.at("ok").as_bool()) << json::serialize(u);
      answered.insert(u.at("@extra").as_int64());
    }
  EXPECT_EQ(answered.size(), static_cast<std::size_t>(kMessages));
  EXPECT_TRUE(c.data({{"type", "wait_outbox_empty"}, {"timeout_ms", 15000}}).at("empty").as_bool());
  auto history = c.messages(room);
  std::vector<std::string> texts;
  for (const auto& m : history)
    if (m.at("type") == "text") texts.emplace_back(m.at("text").as_string());
  ASSERT_EQ(texts.size(), static_cast<std::size_t>(kMessages)) << json::serialize(history);
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(texts[i], "number " + std::to_string(i));
}

TEST(CApiStream, ManyThreadsSendExecuteAndReceiveAtOnce) {
  OnlineWithGroup online("erin");
  auto& c = online.c;
  const auto room = online.room;
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::atomic<int> failures{0};
  // One thread receives while the others send and execute: each answer arrives exactly once.
  std::mutex answers_mutex;
  std::multiset<std::string> answers;
  std::atomic<bool> senders_joined{false};
  std::thread receiver([&] {
    for (;;) {
      {
        std::lock_guard lock(answers_mutex);
        if (answers.size() == kThreads * kEach) return;
      }
      // Short waits while the senders run; once they are done, a long quiet means a lost answer.
      char* text = parley_client_receive(c.handle(), senders_joined ? 15 : 0.5);
      if (!text) {
        if (senders_joined) return;
        continue;
      }
      auto update = take(text);
      if (update.at("type") != "answer") continue;
      if (!update.at("ok").as_bool()) ++failures;
      std::lock_guard lock(answers_mutex);
      answers.insert(std::string(update.at("@extra").as_string()));
    }
  });
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string tag = std::to_string(t) + "-" + std::to_string(i);
        json::object request = i % 3 == 0   ? json::object{{"type", "send_text"}, {"room_id", room}, {"text", "from " + tag}}
                               : i % 3 == 1 ? json::object{{"type", "rooms"}}
                                            : json::object{{"type", "messages"}, {"room_id", room}};
        request["@extra"] = tag;
        if (parley_client_send(c.handle(), json::serialize(request).c_str()) != 0) ++failures;
        auto executed = take(parley_client_execute(c.handle(), R"({"type":"me"})"));
        if (!executed.at("ok").as_bool() || executed.at("data").at("username") != "erin") ++failures;
      }
    });
  for (auto& s : senders) s.join();
  senders_joined = true;
  receiver.join();
  EXPECT_EQ(failures, 0);
  ASSERT_EQ(answers.size(), static_cast<std::size_t>(kThreads * kEach));
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i) EXPECT_EQ(answers.count(std::to_string(t) + "-" + std::to_string(i)), 1u);
  EXPECT_TRUE(c.data({{"type", "wait_outbox_empty"}, {"timeout_ms", 15000}}).at("empty").as_bool());
}

TEST(CApiStream, AFullStreamSaysWhatWasLostThenAnnouncesTheStateAgain) {
  // One byte: the stream holds one update at a time, and drops what comes while it is held.
  OnlineWithGroup online("frank", {{"max_update_bytes", 1}});
  auto& c = online.c;
  const auto room = online.room;
  for (int i = 0; i < 5; ++i) c.data({{"type", "send_text"}, {"room_id", room}, {"text", "m" + std::to_string(i)}});
  EXPECT_TRUE(c.data({{"type", "wait_outbox_empty"}, {"timeout_ms", 15000}}).at("empty").as_bool());
  // An answer dropped too: the outbox lane runs in order, so once the discard behind it has
  // answered, the send's answer has met the full stream.
  c.send({{"type", "send_text"}, {"room_id", room}, {"text", "its answer is lost"}, {"@extra", "lost one"}});
  EXPECT_TRUE(is_error(c.execute({{"type", "discard"}, {"client_msg_id", "none such"}}), "not_found"));

  auto first = take(parley_client_receive(c.handle(), 15));
  ASSERT_EQ(first.at("type"), "updates_lost") << json::serialize(first);
  EXPECT_GT(first.at("count").to_number<std::int64_t>(), 1);
  EXPECT_EQ(first.at("answers_lost"), json::array{"lost one"});
  // Then the state again: the connection, and the room with its last message.
  auto room_again = c.receive_until([&](const json::object& u) { return u.at("type") == "room" && u.at("room").at("id") == room; });
  ASSERT_TRUE(room_again);
  bool connection_again = false;
  for (const auto& u : c.seen()) connection_again |= u.at("type") == "connection" && u.at("state") == "online";
  EXPECT_TRUE(connection_again);
  // And the app re-reads what it shows: everything is there.
  int texts = 0;
  for (const auto& m : c.messages(room)) texts += m.at("type") == "text";
  EXPECT_EQ(texts, 6);
}

struct LogLines {
  std::mutex mutex;
  std::vector<std::pair<int, std::string>> lines;
};

void collect(int level, const char* message, void* user_data) {
  auto* log = static_cast<LogLines*>(user_data);
  std::lock_guard lock(log->mutex);
  log->lines.emplace_back(level, message);
}

TEST(CApiStream, LogLinesReachTheCallbackUpToItsLevel) {
  LogLines log;
  parley_set_log_callback(collect, PARLEY_LOG_INFO, &log);
  {
    TestServer server;
    ScratchDir dir;
    CClient c(server, dir.path());
    c.sign_up_online("gina");
    c.data({{"type", "disconnect"}});
  }
  parley_set_log_callback(nullptr, PARLEY_LOG_DEBUG, nullptr);  // off: `log` may go
  std::lock_guard lock(log.mutex);
  bool online_line = false;
  for (const auto& [level, text] : log.lines) {
    EXPECT_LE(level, PARLEY_LOG_INFO) << text;
    online_line |= text.find("online") != std::string::npos;
  }
  EXPECT_TRUE(online_line);
}

}  // namespace
}  // namespace parley::c_api_test
