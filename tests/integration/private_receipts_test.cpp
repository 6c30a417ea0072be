// Private read receipts: a user who sets read_receipts to "private" keeps how far they have read
// to their own devices. The others get their deliveries as always, and never their reads: not
// live, not in "read by", not in a message's status, not in sync.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/live_state_fixtures.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace parley::test {
namespace {

namespace json = boost::json;
using std::nullopt;

class PrivateReceiptsTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");

  static void set_read_receipts(WsClient& ws, std::string_view value) {
    const json::object me = require_ok(ws.request("me.update", {{"read_receipts", value}}), "me.update");
    ASSERT_EQ(get_str(me, "read_receipts"), value);
  }
  void set_read_receipts_http(const Account& account, std::string_view value) {
    HttpResponse me = http_json(server.port(), "PATCH", "/v1/me", {{"read_receipts", value}}, account.access_token);
    ASSERT_TRUE(is_http_ok(me));
    ASSERT_EQ(get_str(me.object(), "read_receipts"), value);
  }

  // A direct room of alice and bob, bob with private read receipts and two devices, and one
  // message of alice's that bob's phone has received.
  struct PrivateReaderInADirectRoom {
    std::int64_t room = 0;
    WsClient alice_ws, bob_phone, bob_laptop;
    std::int64_t seq = 0;
  };
  PrivateReaderInADirectRoom private_reader_in_a_direct_room() {
    const std::int64_t room = direct_room_http(server, alice, bob.id);
    PrivateReaderInADirectRoom s{room, connect(server, alice), connect(server, bob), connect(server, bob)};
    set_read_receipts(s.bob_phone, "private");
    s.seq = get_int(send_text(s.alice_ws, room, "hello bob", "a-1"), "seq");
    wait_message(s.bob_phone, room, "a-1");
    return s;
  }

  // The first event at `ws` that is either a receipt of `user` in the room or the message
  // `marker`. Sending the marker after the mark orders it after any receipt the mark caused,
  // so a receipt that was sent comes first.
  static Event receipt_or_marker(WsClient& ws, std::int64_t room_id, std::int64_t user_id,
                                 std::string_view marker) {
    return ws.wait_event([&](const Event& e) {
      return is_receipt_of(e, room_id, user_id) || carries_message(e, room_id, marker);
    });
  }

  // The status of message `seq`, sent by alice, wherever alice is shown it.
  void expect_alice_sees_status(WsClient& alice_ws, std::int64_t room_id, std::int64_t seq,
                                const json::object& status) {
    EXPECT_EQ(get_obj(history_message(alice_ws, room_id, seq), "status"), status) << "history";
    EXPECT_EQ(get_obj(history_message_http(server, alice, room_id, seq), "status"), status) << "history over HTTP";
    const json::object receipts =
        require_ok(alice_ws.request("messages.receipts", {{"room_id", room_id}, {"seq", seq}}), "messages.receipts");
    EXPECT_EQ(get_obj(receipts, "status"), status) << "messages.receipts";
  }

  // The watermarks of `user` in the room, as `ws`'s user gets them from sync.
  static json::object synced_watermarks(WsClient& ws, std::int64_t room_id, std::int64_t user_id) {
    const json::object synced = require_ok(
        ws.request("sync", {{"rooms", json::array{json::object{{"room_id", room_id}, {"after_seq", 0}}}}}), "sync");
    for (const auto& member : get_arr(as_obj(get_arr(synced, "catch_up").at(0)), "members"))
      if (get_int(as_obj(member), "user_id") == user_id) return as_obj(member);
    throw std::runtime_error("user " + std::to_string(user_id) + " is not in the sync answer");
  }
};

TEST_F(PrivateReceiptsTest, APrivateReadReachesTheReadersOtherDevicesAndNotTheSender) {
  auto [room, alice_ws, bob_phone, bob_laptop, seq] = private_reader_in_a_direct_room();

  // Delivery stays public: alice sees it, as bob's laptop does.
  mark(bob_phone, room, seq, nullopt);
  EXPECT_EQ(wait_receipt(alice_ws, room, bob.id).data, receipt_data(room, bob.id, seq, 0));
  EXPECT_EQ(wait_receipt(bob_laptop, room, bob.id).data, receipt_data(room, bob.id, seq, 0));

  // The read: bob's laptop hears of it, with the new unread count; alice hears nothing.
  mark(bob_phone, room, nullopt, seq);
  EXPECT_EQ(wait_receipt(bob_laptop, room, bob.id).data, receipt_data(room, bob.id, seq, seq));
  EXPECT_EQ(get_int(bob_laptop.next_event("room.unread").data, "unread_count"), 0);
  send_text(bob_phone, room, "read it", "b-1");
  const Event first = receipt_or_marker(alice_ws, room, bob.id, "b-1");
  EXPECT_EQ(first.name, "message") << "alice was told of bob's private read: " << json::serialize(first.data);
}

TEST_F(PrivateReceiptsTest, AReadThatMovesDeliveryAlongShowsOthersTheDeliveryOnly) {
  auto [room, alice_ws, bob_phone, bob_laptop, seq] = private_reader_in_a_direct_room();

  mark(bob_phone, room, nullopt, seq);  // read implies delivered
  EXPECT_EQ(wait_receipt(alice_ws, room, bob.id).data, receipt_data(room, bob.id, seq, 0));
  EXPECT_EQ(wait_receipt(bob_laptop, room, bob.id).data, receipt_data(room, bob.id, seq, seq));
  // Bob's own devices got the whole of it in one event: no second one with the others' view.
  send_text(bob_phone, room, "read it", "b-1");
  const Event next_at_laptop = receipt_or_marker(bob_laptop, room, bob.id, "b-1");
  EXPECT_EQ(next_at_laptop.name, "message") << json::serialize(next_at_laptop.data);
}

TEST_F(PrivateReceiptsTest, OthersSeeAPrivateReaderAsDeliveredWhileTheReaderSeesTheirOwnReads) {
  Account carol = register_user(server, "carol");
  const std::int64_t room = create_group_http(server, alice, "Three", {bob.id, carol.id});
  set_read_receipts_http(bob, "private");
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  WsClient carol_ws = connect(server, carol);
  const std::int64_t seq = get_int(send_text(alice_ws, room, "hello both", "a-1"), "seq");

  mark(bob_ws, room, nullopt, seq);
  mark(carol_ws, room, nullopt, seq);

  // As alice, the sender, sees it: both have it, only carol has read it.
  expect_alice_sees_status(alice_ws, room, seq, expected_status("delivered", 2, 2, 1));
  EXPECT_EQ(get_obj(get_obj(listed_room(alice_ws, room), "last_message"), "status"),
            expected_status("delivered", 2, 2, 1));
  EXPECT_EQ(get_obj(get_obj(listed_room_http(server, alice, room), "last_message"), "status"),
            expected_status("delivered", 2, 2, 1));
  const std::string receipts_path =
      "/v1/rooms/" + std::to_string(room) + "/messages/" + std::to_string(seq) + "/receipts";
  for (const json::object& receipts :
       {require_ok(alice_ws.request("messages.receipts", {{"room_id", room}, {"seq", seq}}), "messages.receipts"),
        http_request(server.port(), "GET", receipts_path, {}, alice.access_token).object()}) {
    EXPECT_EQ(sorted_ids(get_arr(receipts, "delivered_to")), sorted_ids(json::array{bob.id, carol.id}));
    EXPECT_EQ(sorted_ids(get_arr(receipts, "read_by")), std::vector<std::int64_t>{carol.id});
  }
  EXPECT_EQ(synced_watermarks(alice_ws, room, bob.id),
            (json::object{{"user_id", bob.id}, {"delivered_seq", seq}, {"read_seq", 0}}));
  // Carol, another member, is shown no more than alice.
  const json::object carol_view =
      require_ok(carol_ws.request("messages.receipts", {{"room_id", room}, {"seq", seq}}), "messages.receipts");
  EXPECT_EQ(sorted_ids(get_arr(carol_view, "read_by")), std::vector<std::int64_t>{carol.id});
  EXPECT_EQ(get_int(synced_watermarks(carol_ws, room, bob.id), "read_seq"), 0);

  // Bob's own devices see his reads everywhere.
  const json::object bob_view =
      require_ok(bob_ws.request("messages.receipts", {{"room_id", room}, {"seq", seq}}), "messages.receipts");
  EXPECT_EQ(sorted_ids(get_arr(bob_view, "read_by")), sorted_ids(json::array{bob.id, carol.id}));
  EXPECT_EQ(get_int(synced_watermarks(bob_ws, room, bob.id), "read_seq"), seq);
  const json::object listed = listed_room(bob_ws, room);
  EXPECT_EQ(get_int(listed, "read_seq"), seq);
  EXPECT_EQ(get_int(listed, "unread_count"), 0);
}

TEST_F(PrivateReceiptsTest, GoingPrivateKeepsWhatOthersSawAndGoingBackSharesTheNextRead) {
  const std::int64_t room = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  const auto sent = send_texts_pipelined(alice_ws, room, "a", 3);
  const std::int64_t s1 = get_int(sent[0], "seq");
  const std::int64_t s2 = get_int(sent[1], "seq");
  const std::int64_t s3 = get_int(sent[2], "seq");

  // Read while public: alice sees it.
  mark(bob_ws, room, s3, s1);
  EXPECT_EQ(wait_receipt(alice_ws, room, bob.id).data, receipt_data(room, bob.id, s3, s1));

  // Read while private: what alice was shown stays, and the new read is not added to it.
  set_read_receipts(bob_ws, "private");
  mark(bob_ws, room, nullopt, s2);
  expect_alice_sees_status(alice_ws, room, s1, expected_status("read", 1, 1, 1));
  expect_alice_sees_status(alice_ws, room, s2, expected_status("delivered", 1, 1, 0));
  EXPECT_EQ(get_int(synced_watermarks(alice_ws, room, bob.id), "read_seq"), s1);

  // Back to everyone: nothing is shown by the change itself...
  set_read_receipts(bob_ws, "everyone");
  expect_alice_sees_status(alice_ws, room, s2, expected_status("delivered", 1, 1, 0));
  send_text(bob_ws, room, "back", "b-1");
  const Event first = receipt_or_marker(alice_ws, room, bob.id, "b-1");
  EXPECT_EQ(first.name, "message") << "changing the setting sent a receipt: " << json::serialize(first.data);

  // ...and the next read is shown live and in the status, as before.
  mark(bob_ws, room, nullopt, s3);
  EXPECT_EQ(wait_receipt(alice_ws, room, bob.id).data, receipt_data(room, bob.id, s3, s3));
  expect_alice_sees_status(alice_ws, room, s3, expected_status("read", 1, 1, 1));
  expect_alice_sees_status(alice_ws, room, s2, expected_status("read", 1, 1, 1));
}

}  // namespace
}  // namespace parley::test
