// Direct rooms: one per pair of users, found from either side, fixed to its two members.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

namespace parley::test {
namespace {

namespace json = boost::json;

class DirectRoomTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  Account carol = register_user(server, "carol");
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
};

// "Fields that do not apply are absent, never null."
void expect_no_nulls(const json::object& o) {
  for (const auto& [key, value] : o) {
    EXPECT_FALSE(value.is_null()) << "field \"" << key << "\" is null in " << json::serialize(o);
  }
}

void expect_direct_room(const json::object& room, std::int64_t peer_id) {
  EXPECT_EQ(get_str(room, "kind"), "direct");
  EXPECT_EQ(get_str(room, "name"), "");
  EXPECT_EQ(get_int(room, "peer_id"), peer_id);
  EXPECT_EQ(get_int(room, "member_count"), 2);
  expect_no_nulls(room);
}

TEST_F(DirectRoomTest, GetOrCreateReturnsTheSameRoomFromEitherSide) {
  WsReply first = alice_ws.request("rooms.direct", {{"username", bob.username}});
  ASSERT_TRUE(is_ok(first));
  EXPECT_TRUE(get_bool(first.data(), "created"));
  const json::object& room = get_obj(first.data(), "room");
  expect_direct_room(room, bob.id);
  const std::int64_t room_id = get_int(room, "id");

  // Bob did nothing, yet his connected device learns about the room.
  Event joined = bob_ws.next_event("room.joined");
  EXPECT_EQ(get_int(get_obj(joined.data, "room"), "id"), room_id);
  expect_direct_room(get_obj(joined.data, "room"), alice.id);

  WsReply again = alice_ws.request("rooms.direct", {{"user_id", bob.id}});
  ASSERT_TRUE(is_ok(again));
  EXPECT_FALSE(get_bool(again.data(), "created"));
  EXPECT_EQ(get_int(get_obj(again.data(), "room"), "id"), room_id);

  WsReply from_bob = bob_ws.request("rooms.direct", {{"username", alice.username}});
  ASSERT_TRUE(is_ok(from_bob));
  EXPECT_FALSE(get_bool(from_bob.data(), "created"));
  EXPECT_EQ(get_int(get_obj(from_bob.data(), "room"), "id"), room_id);
  expect_direct_room(get_obj(from_bob.data(), "room"), alice.id);

  HttpResponse over_http = http_json(server.port(), "POST", "/v1/rooms/direct",
                                     {{"user_id", alice.id}}, bob.access_token);
  ASSERT_TRUE(is_http_ok(over_http, 200));
  EXPECT_FALSE(get_bool(over_http.object(), "created"));
  EXPECT_EQ(get_int(get_obj(over_http.object(), "room"), "id"), room_id);
}

TEST_F(DirectRoomTest, AMessageReachesThePeerLiveAndTheAckCarriesTheStoredMessage) {
  const std::int64_t room_id = direct_room(alice_ws, bob.id);

  WsReply ack = alice_ws.request("messages.send", {{"room_id", room_id},
                                                   {"client_msg_id", "hello-1"},
                                                   {"type", "text"},
                                                   {"text", "hello bob"}});
  ASSERT_TRUE(is_ok(ack));
  EXPECT_FALSE(get_bool(ack.data(), "duplicate"));
  const json::object& sent = get_obj(ack.data(), "message");
  EXPECT_GT(get_int(sent, "id"), 0);
  EXPECT_EQ(get_int(sent, "room_id"), room_id);
  EXPECT_EQ(get_int(sent, "seq"), 1);
  EXPECT_EQ(get_int(sent, "sender_id"), alice.id);
  EXPECT_EQ(get_str(sent, "client_msg_id"), "hello-1");
  EXPECT_EQ(get_str(sent, "type"), "text");
  EXPECT_EQ(get_str(sent, "text"), "hello bob");
  EXPECT_GT(get_int(sent, "created_at"), 0);
  EXPECT_FALSE(sent.contains("attachment")) << json::serialize(sent);
  EXPECT_FALSE(sent.contains("system")) << json::serialize(sent);
  expect_no_nulls(sent);

  json::object received = wait_message(bob_ws, room_id, "hello-1");
  EXPECT_EQ(without_status(received), sent);
}

TEST_F(DirectRoomTest, ChangingTheMembershipOrNameOfADirectRoomIsForbidden) {
  const std::int64_t room_id = direct_room(alice_ws, bob.id);

  EXPECT_TRUE(is_error(alice_ws.request("members.add", {{"room_id", room_id}, {"user_id", carol.id}}), "forbidden"));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.rename", {{"room_id", room_id}, {"name", "Ours"}}), "forbidden"));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.leave", {{"room_id", room_id}}), "forbidden"));
  EXPECT_TRUE(is_error(bob_ws.request("rooms.leave", {{"room_id", room_id}}), "forbidden"));
  EXPECT_TRUE(is_error(alice_ws.request("members.role", {{"room_id", room_id}, {"user_id", bob.id}, {"role", "admin"}}), "forbidden"));
  EXPECT_TRUE(is_error(alice_ws.request("members.role", {{"room_id", room_id}, {"user_id", bob.id}, {"role", "member"}}), "forbidden"));
  EXPECT_TRUE(is_error(alice_ws.request("members.remove", {{"room_id", room_id}, {"user_id", bob.id}}), "forbidden"));

  const std::string room_path = "/v1/rooms/" + std::to_string(room_id);
  EXPECT_TRUE(is_http_error(http_json(server.port(), "PATCH", room_path, {{"name", "Ours"}}, alice.access_token),
                            403, "forbidden"));
  EXPECT_TRUE(is_http_error(http_json(server.port(), "POST", room_path + "/members", {{"user_id", carol.id}},
                                      alice.access_token),
                            403, "forbidden"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "POST", room_path + "/leave", "{}", bob.access_token),
                            403, "forbidden"));

  // Nothing changed.
  WsReply members = alice_ws.request("members.list", {{"room_id", room_id}});
  ASSERT_TRUE(is_ok(members));
  EXPECT_EQ(get_arr(members.data(), "members").size(), 2u);
  WsReply room = alice_ws.request("rooms.get", {{"room_id", room_id}});
  ASSERT_TRUE(is_ok(room));
  expect_direct_room(room.data(), bob.id);
}

TEST_F(DirectRoomTest, ADirectRoomWithOneselfIsAConflict) {
  EXPECT_TRUE(is_error(alice_ws.request("rooms.direct", {{"username", alice.username}}), "conflict"));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.direct", {{"user_id", alice.id}}), "conflict"));
  EXPECT_TRUE(is_http_error(http_json(server.port(), "POST", "/v1/rooms/direct", {{"user_id", alice.id}},
                                      alice.access_token),
                            409, "conflict"));
}

TEST_F(DirectRoomTest, ADirectRoomWithAnUnknownUserIsNotFound) {
  EXPECT_TRUE(is_error(alice_ws.request("rooms.direct", {{"username", unique_username("nobody")}}), "not_found"));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.direct", {{"user_id", 987654321}}), "not_found"));
}

TEST_F(DirectRoomTest, TheRoomsListShowsTheLastMessageOnlyOnceThereIsOne) {
  const std::int64_t room_id = direct_room(alice_ws, bob.id);
  auto listed_room = [&] {
    WsReply list = alice_ws.request("rooms.list");
    require_ok(list, "rooms.list");
    for (const auto& r : get_arr(list.data(), "rooms"))
      if (get_int(as_obj(r), "id") == room_id) return as_obj(r);
    throw std::runtime_error("room missing from rooms.list: " + list.dump());
  };

  json::object empty = listed_room();
  EXPECT_FALSE(empty.contains("last_message")) << json::serialize(empty);
  EXPECT_EQ(get_int(empty, "last_seq"), 0);
  EXPECT_EQ(get_int(empty, "unread_count"), 0);

  json::object sent = send_text(bob_ws, room_id, "hi alice", "b-1");
  json::object after = listed_room();
  EXPECT_EQ(without_status(get_obj(after, "last_message")), sent);
  EXPECT_EQ(get_int(after, "last_seq"), 1);
  EXPECT_EQ(get_int(after, "unread_count"), 1);
}

}  // namespace
}  // namespace parley::test
