// Concurrent senders into one room: every connection sees every message exactly once, in seq
// order, seqs are gapless, each sender's messages keep its order, and resending changes nothing.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <exception>
#include <functional>
#include <latch>
#include <map>
#include <set>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr int kSenders = 4;
constexpr int kPerSender = 500;
constexpr int kTotal = kSenders * kPerSender;
constexpr int kWindow = 32;  // requests in flight per sender

std::string client_msg_id(int sender, int k) { return "s" + std::to_string(sender) + "-" + std::to_string(k); }

// Runs fn(0..n-1) on n threads started together; rethrows the first exception after all joined.
void run_together(int n, const std::function<void(int)>& fn) {
  std::latch start(n);
  std::vector<std::exception_ptr> errors(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

bool is_text_in(const Event& e, std::int64_t room_id) {
  if (e.name != "message") return false;
  const json::value* m = e.data.if_contains("message");
  return m && m->is_object() && m->get_object().if_contains("room_id") &&
         m->get_object().at("room_id") == room_id && m->get_object().if_contains("type") &&
         m->get_object().at("type") == "text";
}

// What one connection saw of the room's text messages.
struct View {
  std::vector<json::object> replies;  // own sends, in sending order
  std::vector<json::object> events;   // others' messages, in arrival order
};

class OrderingTest : public ::testing::Test {
 protected:
  OrderingTest() {
    for (int i = 0; i < kSenders; ++i) {
      accounts.push_back(register_user(server, "sender" + std::to_string(i)));
      senders.push_back(connect(server, accounts.back()));
    }
    std::vector<std::int64_t> members;
    for (int i = 1; i < kSenders; ++i) members.push_back(accounts[i].id);
    members.push_back(listener_account.id);
    room_id = create_group(senders[0], "Race", members);
    base_seq = get_int(require_ok(listener.request("rooms.get", {{"room_id", room_id}}), "rooms.get"), "last_seq");
  }

  json::object send_params(int sender, int k) {
    return {{"room_id", room_id}, {"client_msg_id", client_msg_id(sender, k)}, {"type", "text"},
            {"text", "message " + std::to_string(k) + " from sender " + std::to_string(sender)}};
  }

  // Sends all of a sender's messages with kWindow in flight; returns the replies in order.
  std::vector<WsReply> send_all(int sender) {
    WsClient& ws = senders[sender];
    std::vector<WsReply> replies;
    std::deque<json::value> in_flight;
    for (int k = 0; k < kPerSender; ++k) {
      if (in_flight.size() >= kWindow) {
        replies.push_back(ws.wait_reply(in_flight.front()));
        in_flight.pop_front();
      }
      in_flight.push_back(ws.send_request("messages.send", send_params(sender, k)));
    }
    for (const auto& id : in_flight) replies.push_back(ws.wait_reply(id));
    return replies;
  }

  std::vector<json::object> collect_events(WsClient& ws, int count) {
    std::vector<json::object> events;
    while (static_cast<int>(events.size()) < count)
      events.push_back(get_obj(ws.wait_event([&](const Event& e) { return is_text_in(e, room_id); }).data, "message"));
    return events;
  }

  TestServer server;
  std::vector<Account> accounts;
  std::vector<WsClient> senders;
  Account listener_account = register_user(server, "listener");
  WsClient listener = connect(server, listener_account);
  std::int64_t room_id = 0;
  std::int64_t base_seq = 0;  // the system messages written when the group was made
};

TEST_F(OrderingTest, ConcurrentSendersProduceOneGaplessOrderEveryoneAgreesOn) {
  std::vector<View> views(kSenders + 1);  // the last one is the listener's
  run_together(kSenders + 1, [&](int i) {
    if (i == kSenders) {
      views[i].events = collect_events(listener, kTotal);
      return;
    }
    for (const WsReply& r : send_all(i)) {
      views[i].replies.push_back(get_obj(require_ok(r, "messages.send"), "message"));
      if (get_bool(r.data(), "duplicate")) ADD_FAILURE() << "a first send came back as a duplicate: " << r.dump();
    }
    views[i].events = collect_events(senders[i], kTotal - kPerSender);
  });

  // The order the senders were told.
  std::map<std::string, json::object> stored;  // by client_msg_id
  for (int i = 0; i < kSenders; ++i) {
    SCOPED_TRACE("sender " + std::to_string(i));
    ASSERT_EQ(views[i].replies.size(), static_cast<std::size_t>(kPerSender));
    for (int k = 0; k < kPerSender; ++k) {
      const json::object& m = views[i].replies[k];
      ASSERT_EQ(get_str(m, "client_msg_id"), client_msg_id(i, k));
      if (k > 0) {
        EXPECT_LT(get_int(views[i].replies[k - 1], "seq"), get_int(m, "seq")) << "sent in this order";
      }
      stored[client_msg_id(i, k)] = m;
    }
  }

  for (int v = 0; v <= kSenders; ++v) {
    SCOPED_TRACE(v == kSenders ? std::string("listener") : "sender " + std::to_string(v));
    const View& view = views[v];
    std::multiset<std::int64_t> seen;
    std::int64_t previous = 0;
    for (const json::object& m : view.events) {
      const std::int64_t seq = get_int(m, "seq");
      EXPECT_GT(seq, previous) << "events of a room arrive in seq order";
      previous = seq;
      seen.insert(seq);
      const std::string cid = get_str(m, "client_msg_id");
      if (v < kSenders && cid.starts_with("s" + std::to_string(v) + "-"))
        ADD_FAILURE() << "a sender received its own message as an event: " << json::serialize(m);
      auto original = stored.find(cid);
      if (original == stored.end() || original->second != without_status(m))
        ADD_FAILURE() << "an event differs from what its sender was told: " << json::serialize(m);
    }
    for (const json::object& m : view.replies) seen.insert(get_int(m, "seq"));
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(kTotal));
    for (std::int64_t seq = base_seq + 1; seq <= base_seq + kTotal; ++seq)
      EXPECT_EQ(seen.count(seq), 1u) << "seq " << seq;
  }

  // The stored history tells the same story.
  const auto history = fetch_history_http(server, listener_account, room_id);
  ASSERT_EQ(history.size(), static_cast<std::size_t>(base_seq + kTotal));
  for (std::size_t i = 0; i < history.size(); ++i) {
    const json::object& m = history[i];
    ASSERT_EQ(get_int(m, "seq"), static_cast<std::int64_t>(i + 1)) << "history is gapless and ordered";
    if (get_str(m, "type") != "text") continue;
    auto original = stored.find(get_str(m, "client_msg_id"));
    ASSERT_NE(original, stored.end()) << json::serialize(m);
    EXPECT_EQ(original->second, without_status(m));
  }

  // Everyone sends everything again: nothing new is stored, each send gets its original back.
  run_together(kSenders, [&](int i) {
    std::vector<WsReply> replies = send_all(i);
    for (int k = 0; k < kPerSender; ++k) {
      const json::object data = require_ok(replies[k], "messages.send (again)");
      if (!get_bool(data, "duplicate"))
        ADD_FAILURE() << "a resend was not reported as a duplicate: " << replies[k].dump();
      if (without_status(get_obj(data, "message")) != stored[client_msg_id(i, k)])
        ADD_FAILURE() << "a resend did not return the original message: " << replies[k].dump();
    }
  });
  EXPECT_EQ(get_int(require_ok(listener.request("rooms.get", {{"room_id", room_id}}), "rooms.get"), "last_seq"),
            base_seq + kTotal);

  // Duplicates are not broadcast either: the next message anyone sees is a new one. (Events
  // arrive in seq order, so a re-broadcast original would come before it.)
  const json::object last = send_text(senders[0], room_id, "the end", "final");
  EXPECT_EQ(get_int(last, "seq"), base_seq + kTotal + 1);
  for (WsClient* ws : {&listener, &senders[1], &senders[2], &senders[3]}) {
    Event next = ws->wait_event([&](const Event& e) { return is_text_in(e, room_id); });
    EXPECT_EQ(without_status(get_obj(next.data, "message")), last);
  }
}

}  // namespace
}  // namespace parley::test
