// Presence: online while any device is connected, last seen when the last one goes, statuses
// (available, away, busy, invisible), shown only to users who share a room, and offline for a
// device that vanished without closing its connection.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/live_state_fixtures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace parley::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// Milliseconds since the Unix epoch, as the protocol's *_at fields.
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The keys an offline user's presence has once they have been seen at least once.
const std::vector<std::string> kOfflineKeys{"last_seen_at", "online", "user_id"};

class PresenceTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  Account carol = register_user(server, "carol");

  // A connection of `account` whose presence.snapshot has arrived, returned along with it.
  std::pair<WsClient, Event> connect_with_snapshot(const Account& account) {
    WsClient ws = connect(server, account);
    Event snapshot = ws.next_event("presence.snapshot");
    return {std::move(ws), std::move(snapshot)};
  }

  // The next `presence` event about `user`.
  static Event next_presence_of(WsClient& ws, const Account& user) {
    return ws.wait_event([&](const Event& e) { return is_presence_of(e, user.id); });
  }

  // Every `presence` event about `user` arriving within a short window.
  static std::vector<Event> presence_events_of(WsClient& ws, const Account& user) {
    return collect_events(ws, [&](const Event& e) { return is_presence_of(e, user.id); });
  }
};

void expect_offline(const json::object& presence) {
  EXPECT_FALSE(get_bool(presence, "online")) << json::serialize(presence);
  EXPECT_FALSE(presence.contains("status")) << "an offline user's presence shows a status: "
                                            << json::serialize(presence);
}

void expect_online(const json::object& presence, std::string_view status) {
  EXPECT_TRUE(get_bool(presence, "online")) << json::serialize(presence);
  EXPECT_EQ(get_str(presence, "status"), status) << json::serialize(presence);
}

// Paths of the fields in `v` that carry presence: `online`, `last_seen_at`, `presence`, or a
// `status` that is not a message status object.
void find_presence_fields(const json::value& v, const std::string& path, std::vector<std::string>& found) {
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.get_array().size(); ++i)
      find_presence_fields(v.get_array()[i], path + "[" + std::to_string(i) + "]", found);
    return;
  }
  if (!v.is_object()) return;
  for (const auto& [key, value] : v.get_object()) {
    const std::string here = path + "." + std::string(key);
    if (key == "online" || key == "last_seen_at" || key == "presence" || (key == "status" && !value.is_object()))
      found.push_back(here + " = " + json::serialize(value));
    find_presence_fields(value, here, found);
  }
}

std::vector<std::string> presence_fields(const json::value& v) {
  std::vector<std::string> found;
  find_presence_fields(v, "", found);
  return found;
}

TEST_F(PresenceTest, OnlineWhileAnyDeviceIsConnectedThenOfflineWithLastSeen) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  // Sharing two rooms must not show anything twice.
  create_group_http(server, bob, "Also together", {alice.id});

  auto [bob_ws, snapshot] = connect_with_snapshot(bob);
  const json::object& self = get_obj(snapshot.data, "self");
  EXPECT_EQ(get_int(self, "user_id"), bob.id);
  EXPECT_TRUE(get_bool(self, "online"));
  EXPECT_EQ(snapshot_count(snapshot, alice.id), 1u) << json::serialize(snapshot.data);
  // Alice has never been online: no status, no last_seen_at.
  EXPECT_EQ(snapshot_entry(snapshot, alice.id),
            (json::object{{"user_id", alice.id}, {"online", false}}));

  WsClient alice_phone = connect(server, alice);
  expect_online(next_presence_of(bob_ws, alice).data, "available");

  // A second device of a user already online changes nothing others can see.
  WsClient alice_laptop = connect(server, alice);
  alice_laptop.next_event("presence.snapshot");
  // Events reach bob in the order they were sent: once a message sent after the laptop's
  // arrival is there, anything its arrival caused is there too.
  send_text(alice_laptop, room_id, "laptop too", "laptop-1");
  wait_message(bob_ws, room_id, "laptop-1");
  auto extra = presence_events_of(bob_ws, alice);
  EXPECT_TRUE(extra.empty()) << "more than one presence event for alice coming online:" << describe(extra);

  // One device going leaves her online.
  alice_phone.close();
  auto early = presence_events_of(bob_ws, alice);
  EXPECT_TRUE(early.empty()) << "alice still has a device connected:" << describe(early);

  // The last device going takes her offline, last seen at about that moment. The bounds only
  // say the value is the moment she left and not some other one; the slack absorbs clock
  // granularity, not waiting.
  const std::int64_t last_seen_lower = now_ms() - 1000;
  alice_laptop.close();
  const Event offline = next_presence_of(bob_ws, alice);
  const std::int64_t last_seen_upper = now_ms() + 1000;
  expect_offline(offline.data);
  EXPECT_EQ(keys_of(offline.data), kOfflineKeys) << json::serialize(offline.data);
  const std::int64_t last_seen = get_int(offline.data, "last_seen_at");
  EXPECT_GE(last_seen, last_seen_lower);
  EXPECT_LE(last_seen, last_seen_upper);
  extra = presence_events_of(bob_ws, alice);
  EXPECT_TRUE(extra.empty()) << "more than one presence event for alice going offline:" << describe(extra);

  // A connection made afterwards finds her offline, last seen then.
  auto [bob_again, fresh] = connect_with_snapshot(bob);
  EXPECT_EQ(snapshot_entry(fresh, alice.id), offline.data);
  EXPECT_EQ(snapshot_count(fresh, alice.id), 1u);
}

TEST_F(PresenceTest, InvisibleLooksToOthersExactlyLikeOffline) {
  const std::int64_t room_id = direct_room_http(server, alice, bob.id);
  auto [bob_ws, bob_snapshot] = connect_with_snapshot(bob);

  // What alice really going offline looks like, to compare with.
  {
    WsClient alice_once = connect(server, alice);
    expect_online(next_presence_of(bob_ws, alice).data, "available");
    alice_once.close();
  }
  const Event really_offline = next_presence_of(bob_ws, alice);
  expect_offline(really_offline.data);

  auto [alice_phone, phone_snapshot] = connect_with_snapshot(alice);
  auto [alice_laptop, laptop_snapshot] = connect_with_snapshot(alice);
  expect_online(next_presence_of(bob_ws, alice).data, "available");

  WsReply hidden_reply = alice_phone.request("presence.set", {{"status", "invisible"}});
  ASSERT_TRUE(is_ok(hidden_reply));
  EXPECT_EQ(get_int(hidden_reply.data(), "user_id"), alice.id);
  EXPECT_EQ(get_str(hidden_reply.data(), "status"), "invisible");

  // Bob sees her leave, exactly as if she had.
  const Event hidden = next_presence_of(bob_ws, alice);
  expect_offline(hidden.data);
  EXPECT_EQ(keys_of(hidden.data), keys_of(really_offline.data))
      << "going invisible: " << json::serialize(hidden.data)
      << "\ngoing offline:   " << json::serialize(really_offline.data);
  EXPECT_EQ(keys_of(hidden.data), kOfflineKeys);
  // Last seen is the moment she went out of sight, not the earlier moment she really left:
  // several round trips (reconnecting, her snapshots, bob's events) lie between the two.
  EXPECT_GT(get_int(hidden.data, "last_seen_at"), get_int(really_offline.data, "last_seen_at"));

  // Only her own devices know she is there.
  const Event own = next_presence_of(alice_laptop, alice);
  EXPECT_EQ(get_str(own.data, "status"), "invisible") << json::serialize(own.data);

  auto [bob_second, second_snapshot] = connect_with_snapshot(bob);
  EXPECT_EQ(snapshot_entry(second_snapshot, alice.id), hidden.data);

  // While invisible, leaving and coming back are not seen at all.
  alice_phone.close();
  alice_laptop.close();
  auto [alice_back, back_snapshot] = connect_with_snapshot(alice);
  EXPECT_EQ(get_str(get_obj(back_snapshot.data, "self"), "status"), "invisible")
      << "the chosen status was not kept: " << json::serialize(back_snapshot.data);
  // A message sent after all that reaches bob after any presence event it caused.
  send_text(alice_back, room_id, "psst", "back-1");
  for (WsClient* ws : {&bob_ws, &bob_second}) {
    wait_message(*ws, room_id, "back-1");
    const auto seen = presence_events_of(*ws, alice);
    EXPECT_TRUE(seen.empty()) << "an invisible user's comings and goings were shown:" << describe(seen);
  }
  auto [bob_third, third_snapshot] = connect_with_snapshot(bob);
  EXPECT_EQ(snapshot_entry(third_snapshot, alice.id), hidden.data);

  // Rooms and user profiles carry no presence at all.
  HttpResponse rooms = http_request(server.port(), "GET", "/v1/rooms", {}, bob.access_token);
  ASSERT_TRUE(is_http_ok(rooms, 200));
  EXPECT_EQ(presence_fields(rooms.json), std::vector<std::string>{}) << rooms.body;
  WsReply rooms_ws = bob_ws.request("rooms.list");
  ASSERT_TRUE(is_ok(rooms_ws));
  EXPECT_EQ(presence_fields(rooms_ws.frame), std::vector<std::string>{}) << rooms_ws.dump();
  WsReply profile = bob_ws.request("users.get", {{"username", alice.username}});
  ASSERT_TRUE(is_ok(profile));
  EXPECT_EQ(presence_fields(profile.frame), std::vector<std::string>{}) << profile.dump();
  HttpResponse profile_http = http_request(server.port(), "GET", "/v1/users/" + alice.username, {}, bob.access_token);
  ASSERT_TRUE(is_http_ok(profile_http, 200));
  EXPECT_EQ(presence_fields(profile_http.json), std::vector<std::string>{}) << profile_http.body;

  // Coming back into sight looks like coming online.
  WsReply visible_reply = alice_back.request("presence.set", {{"status", "available"}});
  ASSERT_TRUE(is_ok(visible_reply));
  EXPECT_EQ(get_str(visible_reply.data(), "status"), "available");
  expect_online(next_presence_of(bob_ws, alice).data, "available");
  expect_online(next_presence_of(bob_second, alice).data, "available");
}

// The two are read at once; the snapshot was sometimes ready first and overtook `ready`.
TEST_F(PresenceTest, ReadyAlwaysComesBeforeThePresenceSnapshot) {
  direct_room_http(server, alice, bob.id);
  for (int attempt = 0; attempt < 20; ++attempt) {
    WsClient ws(server.port(), "/v1/ws?token=" + alice.access_token);
    const auto any = [](const Event&) { return true; };
    EXPECT_EQ(ws.wait_event(any).name, "ready") << "attempt " << attempt;
    EXPECT_EQ(ws.wait_event(any).name, "presence.snapshot") << "attempt " << attempt;
  }
}

TEST_F(PresenceTest, BusyAndAwayAreShownToContacts) {
  direct_room_http(server, alice, bob.id);
  auto [bob_ws, bob_snapshot] = connect_with_snapshot(bob);
  WsClient alice_ws = connect(server, alice);
  expect_online(next_presence_of(bob_ws, alice).data, "available");

  for (std::string_view status : {"busy", "away", "available"}) {
    WsReply reply = alice_ws.request("presence.set", {{"status", status}});
    ASSERT_TRUE(is_ok(reply));
    EXPECT_EQ(get_str(reply.data(), "status"), status);
    expect_online(next_presence_of(bob_ws, alice).data, status);
  }

  ASSERT_TRUE(is_ok(alice_ws.request("presence.set", {{"status", "busy"}})));
  expect_online(next_presence_of(bob_ws, alice).data, "busy");
  auto [bob_again, snapshot] = connect_with_snapshot(bob);
  const auto entry = snapshot_entry(snapshot, alice.id);
  ASSERT_TRUE(entry.has_value()) << json::serialize(snapshot.data);
  expect_online(*entry, "busy");
}

TEST_F(PresenceTest, AChosenStatusIsKeptAcrossRestarts) {
  direct_room_http(server, alice, bob.id);

  // Chosen over HTTP while no device is connected.
  HttpResponse set = http_json(server.port(), "PUT", "/v1/me/presence", {{"status", "busy"}}, alice.access_token);
  ASSERT_TRUE(is_http_ok(set, 200));
  EXPECT_EQ(get_int(set.object(), "user_id"), alice.id);
  EXPECT_EQ(get_str(set.object(), "status"), "busy");
  EXPECT_FALSE(get_bool(set.object(), "online")) << set.body;

  server.restart();
  const Account alice_now = login(server, alice.username);
  const Account bob_now = login(server, bob.username);

  auto [bob_ws, bob_snapshot] = connect_with_snapshot(bob_now);
  auto [alice_ws, alice_snapshot] = connect_with_snapshot(alice_now);
  EXPECT_EQ(get_str(get_obj(alice_snapshot.data, "self"), "status"), "busy") << json::serialize(alice_snapshot.data);
  expect_online(next_presence_of(bob_ws, alice).data, "busy");
}

TEST_F(PresenceTest, NothingOfAUserOrTheirRoomsReachesSomeoneSharingNoRoomWithThem) {
  const std::int64_t alice_and_bob = direct_room_http(server, alice, bob.id);
  // Carol knows bob, not alice.
  create_group_http(server, bob, "Bob and Carol", {carol.id});

  auto [carol_ws, carol_snapshot] = connect_with_snapshot(carol);
  EXPECT_FALSE(snapshot_entry(carol_snapshot, alice.id).has_value()) << json::serialize(carol_snapshot.data);
  EXPECT_TRUE(snapshot_entry(carol_snapshot, bob.id).has_value()) << json::serialize(carol_snapshot.data);

  auto [bob_ws, bob_snapshot] = connect_with_snapshot(bob);
  expect_online(next_presence_of(carol_ws, bob).data, "available");

  // Alice comes online, types, writes, is read, changes status and leaves; bob sees all of it.
  WsClient alice_ws = connect(server, alice);
  expect_online(next_presence_of(bob_ws, alice).data, "available");
  ASSERT_TRUE(is_ok(alice_ws.request("typing.start", {{"room_id", alice_and_bob}})));
  bob_ws.wait_event([&](const Event& e) { return is_typing(e, alice_and_bob, alice.id, true); });
  const std::int64_t seq = get_int(send_text(alice_ws, alice_and_bob, "just for bob", "a-1"), "seq");
  wait_message(bob_ws, alice_and_bob, "a-1");
  mark(bob_ws, alice_and_bob, seq, seq);
  wait_receipt(alice_ws, alice_and_bob, bob.id);
  ASSERT_TRUE(is_ok(alice_ws.request("presence.set", {{"status", "away"}})));
  expect_online(next_presence_of(bob_ws, alice).data, "away");
  alice_ws.close();
  expect_offline(next_presence_of(bob_ws, alice).data);

  // Bob's change comes after all of that, so it reaches carol after anything of it would have.
  ASSERT_TRUE(is_ok(bob_ws.request("presence.set", {{"status", "busy"}})));
  carol_ws.wait_event([&](const Event& e) {
    const json::value* status = e.data.if_contains("status");
    return is_presence_of(e, bob.id) && status && *status == "busy";
  });
  const auto leaked = collect_events(carol_ws, [&](const Event& e) {
    const json::value* user = e.data.if_contains("user_id");
    const json::value* room = e.data.if_contains("room_id");
    return (user && *user == alice.id) || (room && *room == alice_and_bob) || carries_message(e, alice_and_bob, "a-1");
  });
  EXPECT_TRUE(leaked.empty()) << "carol shares no room with alice, yet received:" << describe(leaked);

  auto [carol_again, fresh] = connect_with_snapshot(carol);
  EXPECT_FALSE(snapshot_entry(fresh, alice.id).has_value()) << json::serialize(fresh.data);
}

// --ping-timeout at its minimum, so that a silent connection is dropped quickly.
class PresenceHalfOpenTest : public ::testing::Test {
 protected:
  TestServer server{{"--ping-timeout", "2"}};
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
};

TEST_F(PresenceHalfOpenTest, AConnectionThatStopsAnsweringPingsGoesOffline) {
  direct_room_http(server, alice, bob.id);
  WsClient bob_ws = connect(server, bob);
  bob_ws.next_event("presence.snapshot");

  // Alice's device vanishes without closing: its socket stays open but it never reads, so it
  // never answers the server's pings.
  SilentWsConnection alice_silent(server.port(), alice.access_token);
  Event online = bob_ws.wait_event([&](const Event& e) { return is_presence_of(e, alice.id); });
  expect_online(online.data, "available");

  // A bound well past the 2 s ping timeout; only a server that never drops her reaches it.
  auto offline = bob_ws.try_wait_event([&](const Event& e) { return is_presence_of(e, alice.id); }, 15s);
  ASSERT_TRUE(offline.has_value()) << "alice's silent connection was never taken as gone";
  expect_offline(offline->data);
  EXPECT_TRUE(offline->data.contains("last_seen_at")) << json::serialize(offline->data);
  EXPECT_TRUE(alice_silent.wait_closed_by_server(5s)) << "the server did not close the silent connection";

  // Bob, whose client answers pings, was never dropped.
  EXPECT_FALSE(bob_ws.is_closed());
  EXPECT_TRUE(is_ok(bob_ws.request("ping")));
}

}  // namespace
}  // namespace parley::test

namespace parley::test {
namespace {

// Users who come to share a room learn each other's presence at once, not at their next connect.
TEST(PresenceIntroductionTest, ANewRoomShowsEachSideTheOthersPresence) {
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  Account carol = register_user(server, "carol");
  WsClient alice_ws = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
  WsClient carol_ws = connect(server, carol);

  ASSERT_TRUE(is_ok(alice_ws.request("rooms.direct", {{"user_id", bob.id}})));
  Event alice_seen = bob_ws.wait_event([&](const Event& e) { return is_presence_of(e, alice.id); });
  EXPECT_TRUE(get_bool(alice_seen.data, "online"));
  Event bob_seen = alice_ws.wait_event([&](const Event& e) { return is_presence_of(e, bob.id); });
  EXPECT_TRUE(get_bool(bob_seen.data, "online"));

  // Added to a group later: carol and the members see each other.
  WsReply group = alice_ws.request("rooms.create", {{"name", "Team"}, {"members", json::array{bob.id}}});
  ASSERT_TRUE(is_ok(group));
  ASSERT_TRUE(is_ok(alice_ws.request("members.add", {{"room_id", get_int(group.data(), "id")}, {"user_id", carol.id}})));
  EXPECT_TRUE(get_bool(carol_ws.wait_event([&](const Event& e) { return is_presence_of(e, alice.id); }).data, "online"));
  EXPECT_TRUE(get_bool(carol_ws.wait_event([&](const Event& e) { return is_presence_of(e, bob.id); }).data, "online"));
  EXPECT_TRUE(get_bool(bob_ws.wait_event([&](const Event& e) { return is_presence_of(e, carol.id); }).data, "online"));
}

}  // namespace
}  // namespace parley::test
