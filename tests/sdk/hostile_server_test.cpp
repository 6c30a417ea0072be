// No reply or event a server sends can crash the SDK or the app: a malformed answer is the
// call's Error, a malformed event is reported and skipped, and a message the server refuses for
// good (or closes the connection on) ends failed while the rest of the outbox goes on.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <set>

#include "scripted_server.hpp"
#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

namespace json = boost::json;

const json::object kUser{{"id", 1}, {"username", "good"}, {"display_name", "Good"}};
const json::object kRoom{{"id", 5}, {"kind", "direct"}, {"name", ""}, {"role", "member"}, {"member_count", 2}};

// Token responses in shapes the protocol does not have, chosen by the username signing in.
HttpAnswer sign_in(const std::string& body) {
  const std::string username = json::serialize(json::parse(body).at("username"));
  if (username == "\"list\"") return {200, "[1,2]"};
  if (username == "\"wrong_kinds\"") return {200, R"({"user":5,"access_token":7,"refresh_token":null})"};
  if (username == "\"not_json\"") return {200, "<html>surprise</html>"};
  if (username == "\"odd_error\"") return {500, R"({"error":5})"};
  return {200, json::serialize(json::object{{"user", kUser}, {"access_token", "a"}, {"refresh_token", "r"}})};
}

// Events with every field of the wrong kind, and frames that are no events at all.
const std::vector<std::string> kJunk{
    R"({"event":"message","data":{"message":"nope"}})",
    R"({"event":"message","data":{"message":{"room_id":"5","seq":[]}}})",
    R"({"event":"receipt","data":{"room_id":"x","user_id":{},"delivered_seq":1.5}})",
    R"({"event":"typing","data":{"room_id":5,"user_id":2,"typing":"yes"}})",
    R"({"event":"presence.snapshot","data":{"self":1,"users":{}}})",
    R"({"event":"room.joined","data":{"room":[]}})",
    R"({"event":"room.left","data":{"room_id":null}})",
    R"({"event":"room.unread","data":{"room_id":5,"read_seq":"7","unread_count":-1e400}})",
    R"({"event":5,"data":[]})",
    R"({"id":"1","ok":true})",
    R"({"id":99999,"ok":true,"data":{}})",
    "not json at all",
    R"([1,2,3])"};

// What the scripted parleyd answers on the WebSocket.
class Script {
 public:
  WsAnswer answer(const json::object& request) {
    const std::string op(request.at("op").as_string());
    if (op == "auth") {
      WsAnswer a{{ScriptedServer::ok(request, json::object{{"user", kUser}})}};
      a.frames.insert(a.frames.end(), kJunk.begin(), kJunk.end());
      return a;
    }
    if (op == "sync") return {{ScriptedServer::ok(request, json::object{{"rooms", json::object{}}, {"left", 5}})}};
    if (op == "rooms.direct") {
      if (request.at("username") == "odd") return {{ScriptedServer::ok(request, json::object{{"room", 7}})}};
      return {{ScriptedServer::ok(request, json::object{{"room", kRoom}})}};
    }
    if (op == "members.list") return {{ScriptedServer::ok(request, json::object{{"members", json::array{1, "x"}}})}};
    if (op == "receipts.mark") return {{ScriptedServer::ok(request, json::object{{"read_seq", "x"}})}};
    if (op == "messages.send") return send(request);
    return {{ScriptedServer::ok(request, json::object{})}};
  }

 private:
  WsAnswer send(const json::object& request) {
    const std::string text(request.at("text").as_string());
    if (text == "close on me") return {{}, true};
    if (text == "odd ack") return {{ScriptedServer::ok(request, json::object{{"message", "nope"}})}};
    if (text == "refused once" && refused_.insert(text).second) return {{ScriptedServer::refused(request, "forbidden")}};
    json::object message{{"client_msg_id", request.at("client_msg_id")}, {"room_id", request.at("room_id")},
                         {"seq", ++seq_}, {"id", seq_}, {"sender_id", 1}, {"type", "text"}, {"text", text},
                         {"created_at", 1}};
    return {{ScriptedServer::ok(request, json::object{{"message", message}})}};
  }

  std::set<std::string> refused_;
  std::int64_t seq_ = 0;
};

template <class T>
ErrorCode code_of(const Result<T>& r) {
  EXPECT_FALSE(r.has_value());
  return r ? ErrorCode::internal : r.error().code;
}

std::optional<Message> find(Client& client, RoomId room, const std::string& id) {
  for (const auto& m : client.messages(room))
    if (m.client_msg_id == id) return m;
  return std::nullopt;
}

TEST(SdkHostileServer, OddRepliesAndEventsAreErrorsAndTheOutboxGoesOn) {
  Script script;
  ScriptedServer hostile([](const std::string&, const std::string&, const std::string& body) { return sign_in(body); },
                         [&](const json::object& request) { return script.answer(request); });
  ScratchDir dirs;
  ClientOptions options;
  options.server = hostile.url();
  options.data_dir = dirs.sub("client");
  options.reconnect_min = 20ms;
  options.reconnect_max = 200ms;
  auto client = must(Client::open(options), "open");
  std::atomic<int> reported{0};
  client->set_observer({.error = [&](const Error& e) {
    EXPECT_FALSE(e.message.empty());
    ++reported;
  }});

  EXPECT_EQ(code_of(client->login("list", "pw")), ErrorCode::invalid_payload);
  EXPECT_EQ(code_of(client->login("wrong_kinds", "pw")), ErrorCode::invalid_payload);
  EXPECT_EQ(code_of(client->login("not_json", "pw")), ErrorCode::malformed_json);
  EXPECT_EQ(client->login("odd_error", "pw").error().kind(), ErrorKind::server);
  must(client->login("good", "pw"), "login");

  client->connect();
  ASSERT_TRUE(client->wait_online(15s));
  // Each skipped event and the unreadable sync answer are reported, none is fatal.
  EXPECT_TRUE(eventually([&] { client->drain(); return reported >= 9; })) << reported;

  EXPECT_EQ(code_of(client->direct_room("odd")), ErrorCode::invalid_payload);
  Room room = must(client->direct_room("bob"), "direct room");
  EXPECT_EQ(code_of(client->members(room.id)), ErrorCode::invalid_payload);
  EXPECT_EQ(code_of(client->mark_read(room.id, 1)), ErrorCode::invalid_payload);

  auto closed_on = must(client->send_text(room.id, "close on me"), "send");
  auto refused = must(client->send_text(room.id, "refused once"), "send");
  auto odd_ack = must(client->send_text(room.id, "odd ack"), "send");
  auto last = must(client->send_text(room.id, "goes through"), "send");
  ASSERT_TRUE(client->wait_outbox_empty(30s));

  auto closed = find(*client, room.id, closed_on.client_msg_id);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->state, MessageState::failed);
  EXPECT_EQ(closed->failure_code, ErrorCode::invalid_utf8);
  auto forbidden = find(*client, room.id, refused.client_msg_id);
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->state, MessageState::failed);
  EXPECT_EQ(forbidden->failure_code, ErrorCode::forbidden);
  EXPECT_EQ(find(*client, room.id, odd_ack.client_msg_id)->failure_code, ErrorCode::invalid_payload);
  auto went = find(*client, room.id, last.client_msg_id);
  ASSERT_TRUE(went);
  EXPECT_GT(went->seq, 0);

  // retry: back to pending, and this time the server takes it.
  must(client->retry(refused.client_msg_id), "retry");
  ASSERT_TRUE(eventually([&] { auto m = find(*client, room.id, refused.client_msg_id); return m && m->seq > 0; }));
  // discard: gone, and gone for retry too.
  must(client->discard(closed_on.client_msg_id), "discard");
  EXPECT_FALSE(find(*client, room.id, closed_on.client_msg_id));
  EXPECT_EQ(code_of(client->retry(closed_on.client_msg_id)), ErrorCode::not_found);
  EXPECT_EQ(client->connection_state(), ConnectionState::online);
  client.reset();

  // The process lived through it all, and the SDK still works against a real server.
  test::TestServer server;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  auto bob = online_client(server, dirs.sub("bob"), "bob");
  Room real = must(alice->direct_room("bob"), "direct room");
  must(alice->send_text(real.id, "after all that"), "send");
  ASSERT_TRUE(eventually([&] { return bob->messages(real.id).size() == 1; }));
  EXPECT_EQ(bob->messages(real.id).front().text, "after all that");
}

}  // namespace
}  // namespace parley::sdk_test
