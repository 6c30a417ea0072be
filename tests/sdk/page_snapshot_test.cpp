// A page of history is one moment of the server's store, and says which (`last_seq`). An event
// that reaches the SDK live on either side of that page is applied exactly once: not again when
// the page already holds it, and not lost when it came before the message it names was held.
// The server is the test's own, so that the two races happen every time, in the order chosen.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <mutex>

#include "scripted_server.hpp"
#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

namespace json = boost::json;

constexpr std::int64_t kMe = 1;
constexpr std::int64_t kOlderRoom = 5;  // its older page holds a reaction that also comes live after it
constexpr std::int64_t kNewRoom = 6;    // a reaction to its message comes live before its first page

json::object room(std::int64_t id, Seq last_seq) {
  return {{"id", id}, {"kind", "group"}, {"name", "room " + std::to_string(id)}, {"role", "member"},
          {"member_count", 3}, {"last_seq", last_seq}, {"read_seq", 0}, {"unread_count", 0}};
}

json::object text(std::int64_t room_id, Seq seq, const std::string& words, json::array reactions = {}) {
  json::object m{{"id", room_id * 1000 + seq}, {"room_id", room_id}, {"seq", seq}, {"sender_id", 2},
                 {"client_msg_id", "t" + std::to_string(room_id * 1000 + seq)}, {"type", "text"}, {"text", words},
                 {"created_at", 1000 + seq}};
  if (!reactions.empty()) m["reactions"] = std::move(reactions);
  return m;
}

json::object reaction(std::int64_t room_id, Seq seq, Seq target, const std::string& emoji, std::int64_t sender) {
  return {{"id", room_id * 1000 + seq}, {"room_id", room_id}, {"seq", seq}, {"sender_id", sender},
          {"client_msg_id", "r" + std::to_string(room_id * 1000 + seq)}, {"type", "reaction"}, {"text", emoji},
          {"relates_to", target}, {"created_at", 1000 + seq}};
}

std::string live(const json::object& message) {
  return json::serialize(json::object{{"event", "message"}, {"data", json::object{{"message", message}}}});
}

json::object page(json::array messages, Seq last_seq) {
  return {{"messages", std::move(messages)}, {"has_more", false}, {"next_before", 0}, {"last_seq", last_seq}};
}

WsAnswer answer(const json::object& request) {
  const std::string op(request.at("op").as_string());
  if (op == "auth") return {{ScriptedServer::ok(request, json::object{{"user", json::object{{"id", kMe}, {"username", "me"}}}})}};
  if (op == "sync")
    return {{ScriptedServer::ok(request, json::object{{"rooms", json::array{room(kOlderRoom, 11), room(kNewRoom, 3)}},
                                                      {"catch_up", json::array{}},
                                                      {"left", json::array{}}})}};
  if (op != "messages.history") return {{ScriptedServer::ok(request, json::object{})}};
  const std::int64_t room_id = request.at("room_id").as_int64();
  if (room_id == kNewRoom) {
    // ❤ (seq 4) was committed after the page was read at seq 3, and its event overtook the page.
    return {{live(reaction(kNewRoom, 4, 3, "❤", 3)),
             ScriptedServer::ok(request, page({text(kNewRoom, 3, "new here")}, 3))}};
  }
  if (!request.contains("before")) return {{ScriptedServer::ok(request, page({text(kOlderRoom, 10, "ten"), text(kOlderRoom, 11, "eleven")}, 11))}};
  // The older page was read after 👍 (seq 12) was committed, and holds it; its event comes after.
  return {{ScriptedServer::ok(request, page({text(kOlderRoom, 1, "one", json::array{json::object{{"emoji", "👍"}, {"count", 1}, {"mine", false}}})}, 12)),
           live(reaction(kOlderRoom, 12, 1, "👍", 3))}};
}

std::optional<Message> held(Client& client, RoomId room, Seq seq) {
  for (const auto& m : client.messages(room, 100))
    if (m.seq == seq) return m;
  return std::nullopt;
}

int count_of(const Message& m, const std::string& emoji) {
  for (const auto& r : m.reactions)
    if (r.emoji == emoji) return r.count;
  return 0;
}

TEST(SdkPageSnapshot, AnEventOnEitherSideOfAPageIsAppliedOnce) {
  ScriptedServer server(
      [](const std::string&, const std::string&, const std::string&) {
        return HttpAnswer{200, json::serialize(json::object{{"user", json::object{{"id", kMe}, {"username", "me"}}},
                                                            {"access_token", "a"},
                                                            {"refresh_token", "r"}})};
      },
      answer);
  ScratchDir dirs;
  ClientOptions options;
  options.server = server.url();
  options.data_dir = dirs.sub("client");
  auto client = must(Client::open(options), "open");
  must(client->login("me", "pw"), "login");
  client->connect();
  ASSERT_TRUE(client->wait_online(15s));

  // Before its first page, the new room's ❤ named a message not held yet; the page, read before
  // the ❤, gets it applied afterwards.
  ASSERT_TRUE(eventually([&] {
    client->drain();
    return held(*client, RoomId{kNewRoom}, 3).has_value() && held(*client, RoomId{kOlderRoom}, 11).has_value();
  }));
  EXPECT_EQ(count_of(*held(*client, RoomId{kNewRoom}, 3), "❤"), 1);

  // The older page already counts 👍; its live event, arriving after the page, is not counted again.
  auto older = must(client->load_older(RoomId{kOlderRoom}, 10), "load older");
  ASSERT_EQ(older.size(), 1u);
  ASSERT_TRUE(eventually([&] {
    client->drain();
    return client->messages(RoomId{kOlderRoom}, 100).size() == 3;  // 1, 10, 11: the event is no message
  }));
  // The event is stored once the frame after the answer is read: wait until it is, by the
  // room's last seq moving to it.
  ASSERT_TRUE(eventually([&] {
    client->drain();
    auto r = client->room(RoomId{kOlderRoom});
    return r && r->last_seq == 12;
  }));
  EXPECT_EQ(count_of(*held(*client, RoomId{kOlderRoom}, 1), "👍"), 1);
}

}  // namespace
}  // namespace parley::sdk_test
