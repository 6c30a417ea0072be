// Typing indicators: shown to the room's other members, ended by typing.stop, by a message from
// the typist, by the typist's connection going, and by a timeout; never echoed to the typist.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/live_state_fixtures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>

namespace parley::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// A timeout far beyond every bounded wait of these tests (20 s at most), so that whatever ends
// an indicator in them is the trigger under test, never the timeout.
constexpr int kLongTypingTimeoutMs = 120'000;
// A short timeout for the test of the timeout itself, and a bound on waiting for it to fire.
constexpr int kShortTypingTimeoutMs = 1500;
constexpr auto kTimeoutFiresWithin = std::chrono::milliseconds(kShortTypingTimeoutMs * 6);

// The typist, alice, has two devices; bob shares the room; carol is not a member.
class TypingFixture : public ::testing::Test {
 protected:
  explicit TypingFixture(int typing_timeout_ms)
      : server({"--typing-timeout-ms", std::to_string(typing_timeout_ms),
                // The flood test sends typing.start as fast as it can; the rate limiter is not
                // what it tests.
                "--rate-limit", "100000", "--rate-burst", "100000"}) {}

  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  Account carol = register_user(server, "carol");
  std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_phone = connect(server, alice);
  WsClient alice_laptop = connect(server, alice);
  WsClient bob_ws = connect(server, bob);

  WsReply start(WsClient& ws, std::int64_t room) { return ws.request("typing.start", {{"room_id", room}}); }
  WsReply stop(WsClient& ws, std::int64_t room) { return ws.request("typing.stop", {{"room_id", room}}); }

  Event wait_typing(WsClient& ws, std::int64_t room, std::int64_t user, bool typing) {
    return ws.wait_event([&](const Event& e) { return is_typing(e, room, user, typing); });
  }

  // Every `typing` event that reaches `ws` within a short window.
  std::vector<Event> typing_events(WsClient& ws) {
    return collect_events(ws, [](const Event& e) { return e.name == "typing"; });
  }
};

class TypingTest : public TypingFixture {
 protected:
  TypingTest() : TypingFixture(kLongTypingTimeoutMs) {}
};

class TypingTimeoutTest : public TypingFixture {
 protected:
  TypingTimeoutTest() : TypingFixture(kShortTypingTimeoutMs) {}
};

TEST_F(TypingTest, StartAndStopAreShownToTheOtherMember) {
  ASSERT_TRUE(is_ok(start(alice_phone, room_id)));
  EXPECT_EQ(wait_typing(bob_ws, room_id, alice.id, true).data,
            (json::object{{"room_id", room_id}, {"user_id", alice.id}, {"typing", true}}));

  ASSERT_TRUE(is_ok(stop(alice_phone, room_id)));
  EXPECT_EQ(wait_typing(bob_ws, room_id, alice.id, false).data,
            (json::object{{"room_id", room_id}, {"user_id", alice.id}, {"typing", false}}));
}

TEST_F(TypingTimeoutTest, AStartWithoutAStopEndsByItself) {
  ASSERT_TRUE(is_ok(start(alice_phone, room_id)));
  wait_typing(bob_ws, room_id, alice.id, true);

  // It does not end at once: nothing but the timeout is going to end it, and that is far off.
  const auto early = collect_events(bob_ws, [&](const Event& e) { return is_typing(e, room_id, alice.id, false); },
                                    std::chrono::milliseconds(kShortTypingTimeoutMs / 5));
  EXPECT_TRUE(early.empty()) << "the indicator ended right after it started:" << describe(early);

  // Alice neither stops, nor sends, nor disconnects: the server ends it by itself.
  auto ended = bob_ws.try_wait_event([&](const Event& e) { return is_typing(e, room_id, alice.id, false); },
                                     kTimeoutFiresWithin);
  EXPECT_TRUE(ended.has_value()) << "no typing:false within " << kTimeoutFiresWithin.count()
                                 << " ms of a start with a " << kShortTypingTimeoutMs << " ms timeout";
  EXPECT_FALSE(alice_phone.is_closed());
}

TEST_F(TypingTest, SendingAMessageInTheRoomEndsTyping) {
  // A second room shared by the same two people: a message there is not a message "in that room".
  const std::int64_t other_room = create_group_http(server, alice, "Elsewhere", {bob.id});
  wait_room_event(bob_ws, "room.joined", other_room);

  ASSERT_TRUE(is_ok(start(alice_phone, room_id)));
  wait_typing(bob_ws, room_id, alice.id, true);

  send_text(alice_phone, other_room, "meanwhile, elsewhere", "elsewhere-1");
  wait_message(bob_ws, other_room, "elsewhere-1");
  const auto ended_elsewhere = typing_events(bob_ws);
  EXPECT_TRUE(ended_elsewhere.empty()) << "a message in another room changed the indicator:"
                                       << describe(ended_elsewhere);

  send_text(alice_phone, room_id, "done typing", "here-1");
  wait_message(bob_ws, room_id, "here-1");
  wait_typing(bob_ws, room_id, alice.id, false);
}

TEST_F(TypingTest, TheTypistsConnectionClosingEndsTyping) {
  ASSERT_TRUE(is_ok(start(alice_phone, room_id)));
  wait_typing(bob_ws, room_id, alice.id, true);

  // Alice's laptop stays connected: it is the connection that started typing that ends it.
  alice_phone.close();
  wait_typing(bob_ws, room_id, alice.id, false);
}

TEST_F(TypingTest, AFloodOfStartsShowsAsOneIndicator) {
  constexpr int kStarts = 100;
  std::deque<json::value> in_flight;
  for (int i = 0; i < kStarts; ++i)
    in_flight.push_back(alice_phone.send_request("typing.start", {{"room_id", room_id}}));
  int accepted = 0;
  for (const auto& id : in_flight) {
    WsReply reply = alice_phone.wait_reply(id);
    EXPECT_TRUE(is_ok(reply));
    accepted += reply.ok() ? 1 : 0;
  }
  ASSERT_EQ(accepted, kStarts);

  // Everything the flood caused at bob's side, all its events having had time to arrive.
  const auto seen = collect_events(bob_ws, [&](const Event& e) { return e.name == "typing"; }, 2000ms);
  int started = 0;
  for (const auto& e : seen)
    if (is_typing(e, room_id, alice.id, true)) ++started;
  EXPECT_GE(started, 1) << "bob never saw alice typing:" << describe(seen);
  EXPECT_LE(started, 3) << kStarts << " typing.start requests caused " << seen.size()
                        << " typing events at bob's:" << describe(seen);
}

TEST_F(TypingTest, TheTypistsOwnDevicesNeverSeeTheirTyping) {
  ASSERT_TRUE(is_ok(start(alice_phone, room_id)));
  wait_typing(bob_ws, room_id, alice.id, true);
  ASSERT_TRUE(is_ok(stop(alice_phone, room_id)));
  wait_typing(bob_ws, room_id, alice.id, false);

  // Events reach a connection in the order they were sent, so once bob's later message has
  // arrived at alice's devices, any typing event about her would be there before it.
  send_text(bob_ws, room_id, "are you typing?", "bob-1");
  for (WsClient* device : {&alice_phone, &alice_laptop}) {
    wait_message(*device, room_id, "bob-1");
    const auto echoes = typing_events(*device);
    EXPECT_TRUE(echoes.empty()) << "a typist's own device received typing events:" << describe(echoes);
  }
}

// The server checks a connected user's typing against the rooms it keeps in memory for them;
// a removal must reach those at once, not at the next connect.
TEST_F(TypingTest, AMemberRemovedWhileConnectedCanNoLongerType) {
  WsClient carol_ws = connect(server, carol);
  const std::int64_t group = create_group_http(server, alice, "planning", {bob.id, carol.id});
  ASSERT_TRUE(is_ok(start(carol_ws, group)));
  wait_typing(bob_ws, group, carol.id, true);
  ASSERT_TRUE(is_ok(stop(carol_ws, group)));
  wait_typing(bob_ws, group, carol.id, false);

  ASSERT_TRUE(is_ok(alice_phone.request("members.remove", {{"room_id", group}, {"user_id", carol.id}})));
  EXPECT_TRUE(is_error(start(carol_ws, group), "not_found"));

  // A message sent after carol's attempt arrives after any event it caused.
  send_text(alice_phone, group, "without carol", "a-2");
  wait_message(bob_ws, group, "a-2");
  const auto seen = typing_events(bob_ws);
  EXPECT_TRUE(seen.empty()) << "a removed member's typing reached the room:" << describe(seen);
}

TEST_F(TypingTest, ANonMembersTypingIsNotFoundAndShownToNobody) {
  WsClient carol_ws = connect(server, carol);

  EXPECT_TRUE(is_error(start(carol_ws, room_id), "not_found"));
  EXPECT_TRUE(is_error(start(carol_ws, 987'654'321), "not_found"));
  // Stopping always succeeds, revealing nothing about the room.
  EXPECT_TRUE(is_ok(stop(carol_ws, room_id)));
  EXPECT_TRUE(is_ok(stop(carol_ws, 987'654'321)));

  // A message sent after carol's attempts arrives after any event they caused.
  send_text(alice_phone, room_id, "just us", "a-1");
  wait_message(bob_ws, room_id, "a-1");
  const auto seen = typing_events(bob_ws);
  EXPECT_TRUE(seen.empty()) << "a non-member's typing reached the room:" << describe(seen);
}

// The report: a member removed while typing kept refreshing the indicator, answered ok.
TEST_F(TypingTest, AMemberRemovedWhileTypingStopsShowingAndCannotStartAgain) {
  WsClient carol_ws = connect(server, carol);
  const std::int64_t group = create_group_http(server, alice, "planning", {bob.id, carol.id});
  ASSERT_TRUE(is_ok(start(carol_ws, group)));
  wait_typing(bob_ws, group, carol.id, true);

  ASSERT_TRUE(is_ok(alice_phone.request("members.remove", {{"room_id", group}, {"user_id", carol.id}})));
  wait_typing(bob_ws, group, carol.id, false);
  EXPECT_TRUE(is_error(start(carol_ws, group), "not_found"));
}

TEST_F(TypingTest, AnInvisibleUsersTypingIsNotShown) {
  ASSERT_TRUE(is_ok(alice_phone.request("presence.set", {{"status", "invisible"}})));
  EXPECT_TRUE(is_ok(start(alice_phone, room_id))) << "answered as any start is, revealing nothing";

  // A message sent after the start arrives after any event it caused.
  send_text(alice_phone, room_id, "from the shadows", "a-3");
  wait_message(bob_ws, room_id, "a-3");
  const auto seen = typing_events(bob_ws);
  EXPECT_TRUE(seen.empty()) << "an invisible user's typing reached the room:" << describe(seen);

  ASSERT_TRUE(is_ok(alice_phone.request("presence.set", {{"status", "available"}})));
  ASSERT_TRUE(is_ok(start(alice_phone, room_id)));
  wait_typing(bob_ws, room_id, alice.id, true);
}

}  // namespace
}  // namespace parley::test
