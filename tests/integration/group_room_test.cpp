// Group rooms: membership changes and their events, roles and the last-admin rule, renaming,
// the system messages every change writes, and the rooms list.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class GroupRoomTest : public ::testing::Test {
 protected:
  // The member system message of `event` about `target`, from the room's history; fails the
  // test when there is none.
  json::object member_event(WsClient& ws, std::int64_t room_id, std::string_view event, std::int64_t target) {
    std::string all_system;
    for (const auto& m : fetch_history(ws, room_id)) {
      if (!m.contains("system")) continue;
      all_system += "\n  " + json::serialize(m);
      const json::object& system = get_obj(m, "system");
      if (get_str(system, "event") == event && system.contains("target_id") && get_int(system, "target_id") == target)
        return m;
    }
    ADD_FAILURE() << "no system message " << event << " with target_id " << target << " in room " << room_id
                  << "; its system messages:" << all_system;
    return {};
  }

  std::string role_of(WsClient& ws, std::int64_t room_id, std::int64_t user_id) {
    auto member = find_member(ws, room_id, user_id);
    return member ? get_str(*member, "role") : "(not a member)";
  }

  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  Account carol = register_user(server, "carol");
  Account dave = register_user(server, "dave");
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  WsClient carol_ws = connect(server, carol);
  WsClient dave_ws = connect(server, dave);
};

TEST_F(GroupRoomTest, CreatingAGroupMakesTheCallerAdminAndTellsEveryMember) {
  WsClient alice_laptop = connect(server, alice);
  WsReply created = alice_ws.request("rooms.create", {{"name", "Team"}, {"members", {bob.id, carol.id}}});
  ASSERT_TRUE(is_ok(created));
  const json::object& room = created.data();
  const std::int64_t room_id = get_int(room, "id");
  EXPECT_EQ(get_str(room, "kind"), "group");
  EXPECT_EQ(get_str(room, "name"), "Team");
  EXPECT_EQ(get_int(room, "created_by"), alice.id);
  EXPECT_EQ(get_int(room, "member_count"), 3);
  EXPECT_EQ(get_str(room, "role"), "admin");
  EXPECT_FALSE(room.contains("peer_id")) << json::serialize(room);

  EXPECT_EQ(get_str(get_obj(wait_room_event(bob_ws, "room.joined", room_id).data, "room"), "role"), "member");
  EXPECT_EQ(get_str(get_obj(wait_room_event(carol_ws, "room.joined", room_id).data, "room"), "role"), "member");
  EXPECT_FALSE(system_messages(fetch_history(alice_ws, room_id), "room_created").empty());

  EXPECT_TRUE(is_error(alice_ws.request("rooms.create", {{"name", "Ghosts"}, {"members", json::array{987654321}}}), "not_found"));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.create", {{"name", "   "}}), "invalid_payload"));
  EXPECT_TRUE(is_http_ok(http_json(server.port(), "POST", "/v1/rooms", {{"name", "Over HTTP"}}, alice.access_token), 201));

  // The creator became a member too: the creator's other devices hear of it; the connection
  // that created it has the room in its reply and does not get it a second time.
  auto creator_joined = alice_laptop.try_wait_event(
      [&](const Event& e) { return is_room_event(e, "room.joined", room_id); }, kWsWaitTimeout);
  ASSERT_TRUE(creator_joined.has_value()) << "the creator's other device got no room.joined";
  EXPECT_EQ(get_str(get_obj(creator_joined->data, "room"), "role"), "admin");
  EXPECT_FALSE(alice_ws.try_wait_event([&](const Event& e) { return is_room_event(e, "room.joined", room_id); },
                                       std::chrono::milliseconds(300)))
      << "the creating connection got room.joined besides its reply";
}

TEST_F(GroupRoomTest, AnAddedMemberGetsRoomJoinedAndThenTheRoomsMessages) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id, carol.id});

  WsReply added = alice_ws.request("members.add", {{"room_id", room_id}, {"user_id", dave.id}});
  ASSERT_TRUE(is_ok(added));
  EXPECT_EQ(get_int(added.data(), "user_id"), dave.id);
  EXPECT_EQ(get_str(added.data(), "username"), dave.username);
  EXPECT_EQ(get_str(added.data(), "role"), "member");
  EXPECT_GT(get_int(added.data(), "joined_at"), 0);

  const json::object joined = get_obj(wait_room_event(dave_ws, "room.joined", room_id).data, "room");
  EXPECT_EQ(get_str(joined, "name"), "Team");
  EXPECT_EQ(get_str(joined, "role"), "member");
  EXPECT_EQ(get_int(joined, "member_count"), 4);

  send_text(alice_ws, room_id, "welcome dave", "welcome-1");
  EXPECT_EQ(get_str(wait_message(dave_ws, room_id, "welcome-1"), "text"), "welcome dave");

  json::object system = member_event(bob_ws, room_id, "member_added", dave.id);
  if (!system.empty()) {
    EXPECT_EQ(get_int(system, "sender_id"), alice.id);
  }
  EXPECT_TRUE(is_error(alice_ws.request("members.add", {{"room_id", room_id}, {"user_id", dave.id}}), "conflict"));
}

TEST_F(GroupRoomTest, ARemovedMemberIsToldAndNoLongerSeesTheRoom) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id, carol.id});

  WsReply removed = alice_ws.request("members.remove", {{"room_id", room_id}, {"user_id", carol.id}});
  ASSERT_TRUE(is_ok(removed));
  EXPECT_TRUE(removed.data().empty()) << removed.dump();
  EXPECT_EQ(get_str(wait_room_event(carol_ws, "room.left", room_id).data, "reason"), "removed");

  send_text(alice_ws, room_id, "just us now", "after-removal");
  wait_message(bob_ws, room_id, "after-removal");  // the message has been fanned out
  auto leaked = carol_ws.try_wait_event(
      [&](const Event& e) { return carries_message(e, room_id, "after-removal"); });
  EXPECT_FALSE(leaked.has_value()) << "a removed member received: " << json::serialize(leaked->data);

  EXPECT_TRUE(is_error(carol_ws.request("messages.history", {{"room_id", room_id}}), "not_found"));
  EXPECT_TRUE(is_error(carol_ws.request("rooms.get", {{"room_id", room_id}}), "not_found"));
  WsReply list = carol_ws.request("rooms.list");
  ASSERT_TRUE(is_ok(list));
  for (const auto& r : get_arr(list.data(), "rooms")) EXPECT_NE(get_int(as_obj(r), "id"), room_id);

  EXPECT_FALSE(find_member(alice_ws, room_id, carol.id).has_value());
  json::object system = member_event(alice_ws, room_id, "member_removed", carol.id);
  if (!system.empty()) {
    EXPECT_EQ(get_int(system, "sender_id"), alice.id);
  }
}

TEST_F(GroupRoomTest, ARemovedMemberWhoResendsAnAcknowledgedMessageGetsTheOriginalButCannotSendANewOne) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id, carol.id});
  const json::object original = send_text(carol_ws, room_id, "before I go", "carol-1");
  ASSERT_TRUE(is_ok(alice_ws.request("members.remove", {{"room_id", room_id}, {"user_id", carol.id}})));
  wait_room_event(carol_ws, "room.left", room_id);

  // Her outbox never saw the acknowledgement: the retry must not turn a sent message into a
  // failed one.
  WsReply again = carol_ws.request(
      "messages.send", {{"room_id", room_id}, {"client_msg_id", "carol-1"}, {"type", "text"}, {"text", "before I go"}});
  ASSERT_TRUE(is_ok(again)) << again.dump();
  EXPECT_TRUE(get_bool(again.data(), "duplicate"));
  EXPECT_EQ(get_int(get_obj(again.data(), "message"), "seq"), get_int(original, "seq"));

  WsReply fresh = carol_ws.request(
      "messages.send", {{"room_id", room_id}, {"client_msg_id", "carol-2"}, {"type", "text"}, {"text", "still here?"}});
  EXPECT_TRUE(is_error(fresh, "not_found")) << fresh.dump();
}

TEST_F(GroupRoomTest, AdminsChangeRolesAndTheNewRoleTakesEffect) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id, carol.id});
  EXPECT_TRUE(is_error(bob_ws.request("rooms.rename", {{"room_id", room_id}, {"name", "Bob's"}}), "forbidden"));

  WsReply promoted = alice_ws.request("members.role", {{"room_id", room_id}, {"user_id", bob.id}, {"role", "admin"}});
  ASSERT_TRUE(is_ok(promoted));
  EXPECT_EQ(get_int(promoted.data(), "user_id"), bob.id);
  EXPECT_EQ(get_str(promoted.data(), "role"), "admin");
  member_event(alice_ws, room_id, "role_changed", bob.id);

  EXPECT_TRUE(is_ok(bob_ws.request("rooms.rename", {{"room_id", room_id}, {"name", "Bob's"}})));
  EXPECT_TRUE(is_ok(bob_ws.request("members.role", {{"room_id", room_id}, {"user_id", alice.id}, {"role", "member"}})));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.rename", {{"room_id", room_id}, {"name", "Alice's"}}), "forbidden"));

  EXPECT_EQ(role_of(carol_ws, room_id, alice.id), "member");
  EXPECT_EQ(role_of(carol_ws, room_id, bob.id), "admin");
  EXPECT_EQ(role_of(carol_ws, room_id, carol.id), "member");
  EXPECT_TRUE(is_error(bob_ws.request("members.role", {{"room_id", room_id}, {"user_id", carol.id}, {"role", "owner"}}),
                       "invalid_payload"));
}

TEST_F(GroupRoomTest, TheLastAdminCannotDemoteThemselves) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id});

  EXPECT_TRUE(is_error(alice_ws.request("members.role", {{"room_id", room_id}, {"user_id", alice.id}, {"role", "member"}}),
                       "last_admin"));
  EXPECT_TRUE(is_http_error(http_json(server.port(), "PATCH",
                                      "/v1/rooms/" + std::to_string(room_id) + "/members/" + std::to_string(alice.id),
                                      {{"role", "member"}}, alice.access_token),
                            409, "last_admin"));
  EXPECT_EQ(role_of(bob_ws, room_id, alice.id), "admin");

  // With a second admin the same change is allowed.
  ASSERT_TRUE(is_ok(alice_ws.request("members.role", {{"room_id", room_id}, {"user_id", bob.id}, {"role", "admin"}})));
  EXPECT_TRUE(is_ok(alice_ws.request("members.role", {{"room_id", room_id}, {"user_id", alice.id}, {"role", "member"}})));
  EXPECT_EQ(role_of(bob_ws, room_id, alice.id), "member");
}

TEST_F(GroupRoomTest, WhenTheLastAdminLeavesTheLongestStandingMemberBecomesAdmin) {
  // Added one by one so that bob has stood longest (he also registered first, so any tie on
  // the join time is broken the same way).
  const std::int64_t room_id = create_group(alice_ws, "Team");
  ASSERT_TRUE(is_ok(alice_ws.request("members.add", {{"room_id", room_id}, {"user_id", bob.id}})));
  ASSERT_TRUE(is_ok(alice_ws.request("members.add", {{"room_id", room_id}, {"user_id", carol.id}})));

  WsReply left = alice_ws.request("rooms.leave", {{"room_id", room_id}});
  ASSERT_TRUE(is_ok(left));
  EXPECT_TRUE(left.data().empty()) << left.dump();
  EXPECT_EQ(get_str(wait_room_event(alice_ws, "room.left", room_id).data, "reason"), "left");

  EXPECT_EQ(role_of(carol_ws, room_id, bob.id), "admin");
  EXPECT_EQ(role_of(carol_ws, room_id, carol.id), "member");
  EXPECT_FALSE(find_member(carol_ws, room_id, alice.id).has_value());
  member_event(bob_ws, room_id, "member_left", alice.id);
  member_event(bob_ws, room_id, "role_changed", bob.id);
  EXPECT_TRUE(is_error(alice_ws.request("messages.history", {{"room_id", room_id}}), "not_found"));
}

TEST_F(GroupRoomTest, RenamingTellsEveryMember) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id, carol.id});

  WsReply renamed = alice_ws.request("rooms.rename", {{"room_id", room_id}, {"name", "Dream Team"}});
  ASSERT_TRUE(is_ok(renamed));
  EXPECT_EQ(get_str(renamed.data(), "name"), "Dream Team");

  for (WsClient* ws : {&alice_ws, &bob_ws, &carol_ws}) {
    const json::object updated = get_obj(wait_room_event(*ws, "room.updated", room_id).data, "room");
    EXPECT_EQ(get_str(updated, "name"), "Dream Team");
    EXPECT_EQ(get_str(updated, "kind"), "group");
    EXPECT_EQ(get_int(updated, "member_count"), 3);
    // One event for everyone: the shared fields only, none of a particular member's.
    for (const char* own : {"role", "delivered_seq", "read_seq", "unread_count"})
      EXPECT_FALSE(updated.contains(own)) << own << " in " << json::serialize(updated);
  }
  WsReply room = bob_ws.request("rooms.get", {{"room_id", room_id}});
  ASSERT_TRUE(is_ok(room));
  EXPECT_EQ(get_str(room.data(), "name"), "Dream Team");
  EXPECT_FALSE(system_messages(fetch_history(bob_ws, room_id), "room_renamed").empty());

  EXPECT_TRUE(is_error(alice_ws.request("rooms.rename", {{"room_id", room_id}, {"name", ""}}), "invalid_payload"));
  EXPECT_TRUE(is_error(alice_ws.request("rooms.rename", {{"room_id", room_id}, {"name", std::string(129, 'x')}}),
                       "invalid_payload"));
}

TEST_F(GroupRoomTest, TheRoomsListShowsTheLastMessageAndCountsOnlyOthersTexts) {
  const std::int64_t room_id = create_group(alice_ws, "Team", {bob.id, carol.id});
  send_text(bob_ws, room_id, "first", "b-1");
  send_text(alice_ws, room_id, "one", "a-1");
  send_text(alice_ws, room_id, "two", "a-2");
  const json::object last = send_text(alice_ws, room_id, "three", "a-3");
  const std::vector<json::object> history = fetch_history(alice_ws, room_id);

  auto listed = [&](WsClient& ws) {
    WsReply list = ws.request("rooms.list");
    require_ok(list, "rooms.list");
    for (const auto& r : get_arr(list.data(), "rooms"))
      if (get_int(as_obj(r), "id") == room_id) return as_obj(r);
    throw std::runtime_error("room missing from rooms.list: " + list.dump());
  };
  // unread_count: messages after read_seq that others wrote, system messages excluded.
  auto expected_unread = [&](const json::object& room, std::int64_t me) {
    const std::int64_t read_seq = get_int(room, "read_seq");
    std::int64_t n = 0;
    for (const auto& m : history)
      if (get_int(m, "seq") > read_seq && get_int(m, "sender_id") != me && get_str(m, "type") != "system") ++n;
    return n;
  };

  for (auto [ws, account] : {std::pair{&alice_ws, &alice}, std::pair{&bob_ws, &bob}, std::pair{&carol_ws, &carol}}) {
    SCOPED_TRACE(account->username);
    json::object room = listed(*ws);
    EXPECT_EQ(without_status(get_obj(room, "last_message")), last);
    // The writer sees the delivery status of its own last message; the others do not.
    EXPECT_EQ(get_obj(room, "last_message").contains("status"), account == &alice) << json::serialize(room);
    EXPECT_EQ(get_int(room, "last_seq"), get_int(last, "seq"));
    EXPECT_EQ(get_int(room, "unread_count"), expected_unread(room, account->id));
  }
  // Bob wrote before alice's three, carol wrote nothing: whatever they have read is older.
  EXPECT_EQ(get_int(listed(bob_ws), "unread_count"), 3);
  EXPECT_EQ(get_int(listed(carol_ws), "unread_count"), 4);

  // Most recent activity first.
  const std::int64_t newer_room = create_group(alice_ws, "Newer", {bob.id});
  // Activity times are in milliseconds; let the clock move so that "more recent" is not a tie.
  std::this_thread::sleep_for(20ms);
  send_text(alice_ws, room_id, "four", "a-4");
  WsReply list = alice_ws.request("rooms.list");
  ASSERT_TRUE(is_ok(list));
  const json::array& rooms = get_arr(list.data(), "rooms");
  ASSERT_GE(rooms.size(), 2u);
  EXPECT_EQ(get_int(as_obj(rooms[0]), "id"), room_id);
  EXPECT_EQ(get_int(as_obj(rooms[1]), "id"), newer_room);
}

}  // namespace
}  // namespace parley::test
