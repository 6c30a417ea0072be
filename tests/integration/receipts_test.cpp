// Receipts: each member's two watermarks (delivered_seq, read_seq) in a room, the `receipt` and
// `room.unread` events that spread them to every device, and the message status derived from
// them (sent -> delivered -> read, with counts per recipient).
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/live_state_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace parley::test {
namespace {

namespace json = boost::json;
using std::nullopt;

class ReceiptsTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");

  // The `status` of one of alice's messages, as her own history shows it.
  json::object status_in_history(WsClient& alice_ws, std::int64_t room_id, std::int64_t seq) {
    return get_obj(history_message(alice_ws, room_id, seq), "status");
  }
};

json::object watermarks(std::int64_t room_id, std::int64_t delivered_seq, std::int64_t read_seq,
                        std::int64_t unread_count) {
  return {{"room_id", room_id}, {"delivered_seq", delivered_seq}, {"read_seq", read_seq},
          {"unread_count", unread_count}};
}

// The receipt event a member's mark produces carries the watermarks the reply says are stored.
json::object receipt_for_reply(std::int64_t user_id, const json::object& reply) {
  return receipt_data(get_int(reply, "room_id"), user_id, get_int(reply, "delivered_seq"),
                      get_int(reply, "read_seq"));
}

bool is_unread_of_room(const Event& e, std::int64_t room_id) {
  const json::value* room = e.data.if_contains("room_id");
  return e.name == "room.unread" && room && *room == room_id;
}

TEST_F(ReceiptsTest, InADirectRoomEveryDeviceSeesTheReceiptsAndTheStatusGoesSentDeliveredRead) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_phone = connect(server, alice);
  WsClient alice_laptop = connect(server, alice);
  WsClient bob_phone = connect(server, bob);
  WsClient bob_laptop = connect(server, bob);

  const json::object sent = send_text(alice_phone, room_id, "hello bob", "a-1");
  const std::int64_t seq = get_int(sent, "seq");
  wait_message(bob_phone, room_id, "a-1");

  // Nobody has reported anything yet.
  EXPECT_EQ(status_in_history(alice_phone, room_id, seq), expected_status("sent", 1, 0, 0));
  EXPECT_EQ(get_obj(get_obj(listed_room_http(server, alice, room_id), "last_message"), "status"),
            expected_status("sent", 1, 0, 0));
  // The status is the sender's business: bob's copy of alice's message carries none.
  EXPECT_FALSE(history_message(bob_phone, room_id, seq).contains("status"));

  // Bob's phone has the message: delivered.
  EXPECT_EQ(mark(bob_phone, room_id, seq, nullopt), watermarks(room_id, seq, 0, 1));
  const json::object delivered = receipt_data(room_id, bob.id, seq, 0);
  EXPECT_EQ(wait_receipt(alice_phone, room_id, bob.id).data, delivered);
  EXPECT_EQ(wait_receipt(alice_laptop, room_id, bob.id).data, delivered);
  // The reader's other devices hear of it too.
  EXPECT_EQ(wait_receipt(bob_laptop, room_id, bob.id).data, delivered);

  EXPECT_EQ(status_in_history(alice_phone, room_id, seq), expected_status("delivered", 1, 1, 0));
  EXPECT_EQ(get_obj(history_message_http(server, alice, room_id, seq), "status"),
            expected_status("delivered", 1, 1, 0));
  EXPECT_EQ(get_obj(get_obj(listed_room(alice_laptop, room_id), "last_message"), "status"),
            expected_status("delivered", 1, 1, 0));
  EXPECT_EQ(get_obj(get_obj(listed_room_http(server, alice, room_id), "last_message"), "status"),
            expected_status("delivered", 1, 1, 0));

  // Bob reads it on his phone.
  EXPECT_EQ(mark(bob_phone, room_id, nullopt, seq), watermarks(room_id, seq, seq, 0));
  const json::object read = receipt_data(room_id, bob.id, seq, seq);
  EXPECT_EQ(wait_receipt(alice_phone, room_id, bob.id).data, read);
  EXPECT_EQ(wait_receipt(alice_laptop, room_id, bob.id).data, read);
  EXPECT_EQ(wait_receipt(bob_laptop, room_id, bob.id).data, read);
  // Only read_seq moving tells bob's other devices the new unread count. Had the delivered-only
  // mark sent one too, it would be the first in the laptop's queue.
  EXPECT_EQ(bob_laptop.next_event("room.unread").data, watermarks(room_id, seq, seq, 0));

  EXPECT_EQ(status_in_history(alice_phone, room_id, seq), expected_status("read", 1, 1, 1));
  EXPECT_EQ(get_obj(history_message_http(server, alice, room_id, seq), "status"),
            expected_status("read", 1, 1, 1));
  EXPECT_EQ(get_obj(get_obj(listed_room(alice_laptop, room_id), "last_message"), "status"),
            expected_status("read", 1, 1, 1));
  EXPECT_EQ(get_obj(get_obj(listed_room_http(server, alice, room_id), "last_message"), "status"),
            expected_status("read", 1, 1, 1));

  // The device that marked got its answer as the reply, not as events.
  const auto echoes = collect_events(bob_phone, [&](const Event& e) {
    return is_receipt_of(e, room_id, bob.id) || is_unread_of_room(e, room_id);
  });
  EXPECT_TRUE(echoes.empty()) << "the marking device received its own receipt:" << describe(echoes);
}

TEST_F(ReceiptsTest, TheUnreadCountFollowsTheReadWatermarkOnEveryDevice) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient bob_phone = connect(server, bob);
  WsClient bob_laptop = connect(server, bob);

  const auto sent = send_texts_pipelined(alice_ws, room_id, "a", 3);
  const std::int64_t second = get_int(sent[1], "seq");
  const std::int64_t last = get_int(sent[2], "seq");
  wait_message(bob_laptop, room_id, "a-2");

  EXPECT_EQ(get_int(listed_room(bob_laptop, room_id), "unread_count"), 3);
  EXPECT_EQ(get_int(listed_room_http(server, bob, room_id), "unread_count"), 3);

  // Reading up to the second leaves one unread, everywhere. Read implies delivered.
  EXPECT_EQ(mark(bob_phone, room_id, nullopt, second), watermarks(room_id, second, second, 1));
  EXPECT_EQ(bob_laptop.next_event("room.unread").data, watermarks(room_id, second, second, 1));
  json::object listed = listed_room(bob_laptop, room_id);
  EXPECT_EQ(get_int(listed, "unread_count"), 1);
  EXPECT_EQ(get_int(listed, "read_seq"), second);
  EXPECT_EQ(get_int(listed, "delivered_seq"), second);
  EXPECT_EQ(get_int(listed_room_http(server, bob, room_id), "unread_count"), 1);

  // Reading the rest leaves none.
  EXPECT_EQ(mark(bob_phone, room_id, nullopt, last), watermarks(room_id, last, last, 0));
  EXPECT_EQ(bob_laptop.next_event("room.unread").data, watermarks(room_id, last, last, 0));
  listed = listed_room(bob_laptop, room_id);
  EXPECT_EQ(get_int(listed, "unread_count"), 0);
  EXPECT_EQ(get_int(listed, "read_seq"), last);
  EXPECT_EQ(get_int(listed_room_http(server, bob, room_id), "unread_count"), 0);

  // The phone that read was answered by its replies, not by room.unread events.
  const auto echoes = collect_events(bob_phone, [&](const Event& e) { return is_unread_of_room(e, room_id); });
  EXPECT_TRUE(echoes.empty()) << "the reading device received room.unread:" << describe(echoes);
}

TEST_F(ReceiptsTest, InAGroupTheStatusCountsEachRecipientAndIsReadOnlyOnceAllHaveRead) {
  Account carol = register_user(server, "carol");
  Account dave = register_user(server, "dave");
  const std::int64_t room_id = create_group_http(server, alice, "Four", {bob.id, carol.id, dave.id});
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  WsClient carol_ws = connect(server, carol);
  WsClient dave_ws = connect(server, dave);

  const auto sent = send_texts_pipelined(alice_ws, room_id, "a", 3);
  const std::int64_t s1 = get_int(sent[0], "seq");
  const std::int64_t s2 = get_int(sent[1], "seq");
  const std::int64_t s3 = get_int(sent[2], "seq");

  // The statuses of alice's three messages, oldest first, as her history shows them.
  auto statuses = [&] {
    return std::vector<json::object>{status_in_history(alice_ws, room_id, s1),
                                     status_in_history(alice_ws, room_id, s2),
                                     status_in_history(alice_ws, room_id, s3)};
  };
  auto all_three = [](const json::object& status) { return std::vector<json::object>{status, status, status}; };
  // Each member's mark reaches alice as a receipt carrying the stored watermarks.
  auto mark_and_expect_receipt = [&](WsClient& ws, const Account& member, std::optional<std::int64_t> delivered,
                                     std::optional<std::int64_t> read) {
    const json::object reply = mark(ws, room_id, delivered, read);
    EXPECT_EQ(wait_receipt(alice_ws, room_id, member.id).data, receipt_for_reply(member.id, reply));
    return reply;
  };

  EXPECT_EQ(statuses(), all_three(expected_status("sent", 3, 0, 0)));
  // Unread counts what others wrote: alice's three for bob, not the group's system message;
  // nothing for alice, who wrote them.
  EXPECT_EQ(get_int(listed_room(bob_ws, room_id), "unread_count"), 3);
  EXPECT_EQ(get_int(listed_room(alice_ws, room_id), "unread_count"), 0);

  // Bob reads everything without reporting delivery first: read implies delivered.
  const json::object bob_reply = mark_and_expect_receipt(bob_ws, bob, nullopt, s3);
  EXPECT_EQ(get_int(bob_reply, "delivered_seq"), s3);
  EXPECT_EQ(get_int(bob_reply, "read_seq"), s3);
  EXPECT_EQ(statuses(), all_three(expected_status("sent", 3, 1, 1)));
  EXPECT_EQ(get_int(bob_reply, "unread_count"), 0);

  // Carol has everything but has read only up to the second message.
  mark_and_expect_receipt(carol_ws, carol, s3, nullopt);
  EXPECT_EQ(statuses(), all_three(expected_status("sent", 3, 2, 1)));
  mark_and_expect_receipt(carol_ws, carol, nullopt, s2);
  EXPECT_EQ(statuses(), (std::vector<json::object>{expected_status("sent", 3, 2, 2),
                                                   expected_status("sent", 3, 2, 2),
                                                   expected_status("sent", 3, 2, 1)}));

  // Dave has everything: all three are delivered, none yet read by all.
  mark_and_expect_receipt(dave_ws, dave, s3, nullopt);
  EXPECT_EQ(statuses(), (std::vector<json::object>{expected_status("delivered", 3, 3, 2),
                                                   expected_status("delivered", 3, 3, 2),
                                                   expected_status("delivered", 3, 3, 1)}));

  // Who has read the last message, over WebSocket and over HTTP.
  const std::string receipts_path =
      "/v1/rooms/" + std::to_string(room_id) + "/messages/" + std::to_string(s3) + "/receipts";
  auto expect_receipts_of_last = [&](const json::object& status, std::vector<std::int64_t> delivered_to,
                                     std::vector<std::int64_t> read_by) {
    std::sort(delivered_to.begin(), delivered_to.end());
    std::sort(read_by.begin(), read_by.end());
    const json::object ws_data =
        require_ok(alice_ws.request("messages.receipts", {{"room_id", room_id}, {"seq", s3}}), "messages.receipts");
    EXPECT_EQ(get_obj(ws_data, "status"), status);
    EXPECT_EQ(sorted_ids(get_arr(ws_data, "delivered_to")), delivered_to);
    EXPECT_EQ(sorted_ids(get_arr(ws_data, "read_by")), read_by);

    HttpResponse res = http_request(server.port(), "GET", receipts_path, {}, alice.access_token);
    ASSERT_TRUE(is_http_ok(res, 200));
    EXPECT_EQ(get_obj(res.object(), "status"), status);
    EXPECT_EQ(sorted_ids(get_arr(res.object(), "delivered_to")), delivered_to);
    EXPECT_EQ(sorted_ids(get_arr(res.object(), "read_by")), read_by);
  };
  expect_receipts_of_last(expected_status("delivered", 3, 3, 1), {bob.id, carol.id, dave.id}, {bob.id});

  // Carol catches up: two of three have read the last message.
  mark_and_expect_receipt(carol_ws, carol, nullopt, s3);
  EXPECT_EQ(statuses(), all_three(expected_status("delivered", 3, 3, 2)));
  expect_receipts_of_last(expected_status("delivered", 3, 3, 2), {bob.id, carol.id, dave.id}, {bob.id, carol.id});

  // Dave reads the last one: now, and only now, every message is read.
  mark_and_expect_receipt(dave_ws, dave, nullopt, s3);
  EXPECT_EQ(statuses(), all_three(expected_status("read", 3, 3, 3)));
  expect_receipts_of_last(expected_status("read", 3, 3, 3), {bob.id, carol.id, dave.id},
                          {bob.id, carol.id, dave.id});
  EXPECT_EQ(get_obj(get_obj(listed_room_http(server, alice, room_id), "last_message"), "status"),
            expected_status("read", 3, 3, 3));
}

TEST_F(ReceiptsTest, WatermarksNeverMoveBackwardsAndALowerReportSendsNoEvent) {
  Account carol = register_user(server, "carol");
  const std::int64_t room_id = create_group_http(server, alice, "Three", {bob.id, carol.id});
  WsClient alice_ws = connect(server, alice);
  WsClient bob_phone = connect(server, bob);
  WsClient bob_laptop = connect(server, bob);
  WsClient carol_ws = connect(server, carol);

  const auto sent = send_texts_pipelined(alice_ws, room_id, "a", 3);
  const std::int64_t s1 = get_int(sent[0], "seq");
  const std::int64_t s3 = get_int(sent[2], "seq");

  const json::object stored = mark(bob_phone, room_id, s3, s3);
  EXPECT_EQ(stored, watermarks(room_id, s3, s3, 0));
  EXPECT_EQ(wait_receipt(alice_ws, room_id, bob.id).data, receipt_data(room_id, bob.id, s3, s3));
  EXPECT_EQ(wait_receipt(bob_laptop, room_id, bob.id).data, receipt_data(room_id, bob.id, s3, s3));
  EXPECT_EQ(bob_laptop.next_event("room.unread").data, watermarks(room_id, s3, s3, 0));
  const json::object status_before = status_in_history(alice_ws, room_id, s1);
  EXPECT_EQ(status_before, expected_status("sent", 2, 1, 1));

  // Lower reports, in every combination, from either device: the stored watermarks stand.
  EXPECT_EQ(mark(bob_phone, room_id, nullopt, s1), stored);
  EXPECT_EQ(mark(bob_phone, room_id, s1, nullopt), stored);
  EXPECT_EQ(mark(bob_laptop, room_id, s1, s1), stored);
  EXPECT_EQ(mark(bob_laptop, room_id, 0, 0), stored);
  // Repeating the stored values moves nothing either.
  EXPECT_EQ(mark(bob_phone, room_id, s3, s3), stored);

  EXPECT_EQ(status_in_history(alice_ws, room_id, s1), status_before);
  EXPECT_EQ(status_in_history(alice_ws, room_id, s3), expected_status("sent", 2, 1, 1));
  json::object bob_listed = listed_room(bob_laptop, room_id);
  EXPECT_EQ(get_int(bob_listed, "read_seq"), s3);
  EXPECT_EQ(get_int(bob_listed, "delivered_seq"), s3);
  EXPECT_EQ(get_int(bob_listed, "unread_count"), 0);

  // None of that produced an event. Marks are applied one after another and their events sent
  // before their replies, so a receipt for any of bob's reports above would reach alice before
  // the receipt of carol's real move below.
  const json::object carol_reply = mark(carol_ws, room_id, nullopt, s1);
  Event next_at_alice = alice_ws.next_event("receipt");
  EXPECT_EQ(next_at_alice.data, receipt_for_reply(carol.id, carol_reply))
      << "a report that moved nothing produced a receipt";
  Event next_at_laptop = bob_laptop.next_event("receipt");
  EXPECT_EQ(next_at_laptop.data, receipt_for_reply(carol.id, carol_reply))
      << "a report that moved nothing produced a receipt";
  const auto stray = collect_events(alice_ws, [&](const Event& e) { return is_receipt_of(e, room_id, bob.id); });
  EXPECT_TRUE(stray.empty()) << describe(stray);
  const auto stray_unread = collect_events(bob_laptop, [&](const Event& e) { return is_unread_of_room(e, room_id); });
  EXPECT_TRUE(stray_unread.empty()) << describe(stray_unread);
}

TEST_F(ReceiptsTest, WatermarksPastTheLastMessageStopAtTheLastMessage) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);

  const auto sent = send_texts_pipelined(alice_ws, room_id, "a", 2);
  const std::int64_t last = get_int(sent[1], "seq");

  EXPECT_EQ(mark(bob_ws, room_id, last + 1000, last + 1000), watermarks(room_id, last, last, 0));
  EXPECT_EQ(wait_receipt(alice_ws, room_id, bob.id).data, receipt_data(room_id, bob.id, last, last));

  // Had the server kept the inflated value, the next message would already count as read.
  const json::object next = send_text(alice_ws, room_id, "one more", "a-next");
  EXPECT_EQ(get_int(next, "seq"), last + 1);
  EXPECT_EQ(status_in_history(alice_ws, room_id, last + 1), expected_status("sent", 1, 0, 0));
  json::object listed = listed_room(bob_ws, room_id);
  EXPECT_EQ(get_int(listed, "read_seq"), last);
  EXPECT_EQ(get_int(listed, "unread_count"), 1);
}

TEST_F(ReceiptsTest, NonMembersCanNeitherMarkNorReadReceipts) {
  Account carol = register_user(server, "carol");
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient carol_ws = connect(server, carol);
  const std::int64_t seq = get_int(send_text(alice_ws, room_id, "private", "a-1"), "seq");

  EXPECT_TRUE(is_error(carol_ws.request("receipts.mark", {{"room_id", room_id}, {"read_seq", seq}}), "not_found"));
  EXPECT_TRUE(is_error(carol_ws.request("messages.receipts", {{"room_id", room_id}, {"seq", seq}}), "not_found"));
  EXPECT_TRUE(is_http_error(
      http_request(server.port(), "GET",
                   "/v1/rooms/" + std::to_string(room_id) + "/messages/" + std::to_string(seq) + "/receipts", {},
                   carol.access_token),
      404, "not_found"));

  // And carol's attempt moved nothing alice can see.
  EXPECT_EQ(status_in_history(alice_ws, room_id, seq), expected_status("sent", 1, 0, 0));
  const auto receipts = collect_events(alice_ws, [](const Event& e) { return e.name == "receipt"; });
  EXPECT_TRUE(receipts.empty()) << describe(receipts);
}

TEST_F(ReceiptsTest, AMarkOverHttpReachesEveryConnection) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  const std::int64_t seq = get_int(send_text(alice_ws, room_id, "hello", "a-1"), "seq");

  HttpResponse res = http_json(server.port(), "POST", "/v1/rooms/" + std::to_string(room_id) + "/receipts",
                               {{"read_seq", seq}}, bob.access_token);
  ASSERT_TRUE(is_http_ok(res, 200));
  EXPECT_EQ(res.object(), watermarks(room_id, seq, seq, 0));

  // No connection marked it, so every connection of both members hears of it, and every one of
  // bob's learns his new unread count.
  EXPECT_EQ(wait_receipt(alice_ws, room_id, bob.id).data, receipt_data(room_id, bob.id, seq, seq));
  EXPECT_EQ(wait_receipt(bob_ws, room_id, bob.id).data, receipt_data(room_id, bob.id, seq, seq));
  EXPECT_EQ(bob_ws.next_event("room.unread").data, watermarks(room_id, seq, seq, 0));
  EXPECT_EQ(status_in_history(alice_ws, room_id, seq), expected_status("read", 1, 1, 1));
}

TEST_F(ReceiptsTest, AMarkWithoutAWatermarkOrWithANegativeOneIsInvalid) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  const std::int64_t seq = get_int(send_text(alice_ws, room_id, "hello", "a-1"), "seq");

  EXPECT_TRUE(is_error(bob_ws.request("receipts.mark", {{"room_id", room_id}}), "invalid_payload"));
  EXPECT_TRUE(is_error(bob_ws.request("receipts.mark", {{"room_id", room_id}, {"read_seq", -1}}), "invalid_payload"));
  EXPECT_TRUE(
      is_error(bob_ws.request("receipts.mark", {{"room_id", room_id}, {"delivered_seq", -1}}), "invalid_payload"));
  EXPECT_TRUE(is_http_error(http_json(server.port(), "POST", "/v1/rooms/" + std::to_string(room_id) + "/receipts",
                                      json::object{}, bob.access_token),
                            400, "invalid_payload"));

  // Nothing moved.
  EXPECT_EQ(status_in_history(alice_ws, room_id, seq), expected_status("sent", 1, 0, 0));
  const auto receipts = collect_events(alice_ws, [](const Event& e) { return e.name == "receipt"; });
  EXPECT_TRUE(receipts.empty()) << describe(receipts);
}

// A live receipt would show an invisible reader online: only the reader's own devices get it,
// and the others see the read in the message's status when they next look.
TEST_F(ReceiptsTest, AnInvisibleReadersReceiptsReachOnlyTheirOwnDevices) {
  std::int64_t room = direct_room_http(server, alice, bob.id);
  WsClient alice_ws = connect(server, alice);
  WsClient bob_phone = connect(server, bob);
  WsClient bob_laptop = connect(server, bob);
  ASSERT_TRUE(bob_phone.request("presence.set", {{"status", "invisible"}}).ok());
  std::int64_t seq = send_text(alice_ws, room, "are you there?", "a-1").at("seq").as_int64();
  wait_message(bob_phone, room, "a-1");

  mark(bob_phone, room, seq, seq);
  wait_receipt(bob_laptop, room, bob.id);  // bob's own other device hears it
  // A message sent after the mark reaches alice after any receipt it caused.
  send_text(bob_phone, room, "here", "b-1");
  wait_message(alice_ws, room, "b-1");
  const auto seen = collect_events(alice_ws, [&](const Event& e) { return is_receipt_of(e, room, bob.id); });
  EXPECT_TRUE(seen.empty()) << describe(seen);
  EXPECT_EQ(status_in_history(alice_ws, room, seq), expected_status("read", 1, 1, 1)) << "the read is not hidden from history";
}

}  // namespace
}  // namespace parley::test
