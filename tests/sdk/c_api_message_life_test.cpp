// A message's life through the C API: replies, edits, deletions and reactions as requests, and
// their fields in the messages' JSON.
#include "c_api_fixture.hpp"

namespace parley::c_api_test {
namespace {

// The first message of the room's local history for which `wanted` holds, waiting for updates
// until one does.
std::optional<json::object> message_where(CClient& c, std::int64_t room, const std::function<bool(const json::object&)>& wanted) {
  std::optional<json::object> found;
  auto look = [&](const json::object&) {
    for (const auto& m : c.messages(room))
      if (!found && wanted(m.as_object())) found = m.as_object();
    return found.has_value();
  };
  if (!look({})) c.receive_until(look);
  return found;
}

std::optional<json::object> message_at(CClient& c, std::int64_t room, std::int64_t seq,
                                       const std::function<bool(const json::object&)>& ready) {
  return message_where(c, room, [&](const json::object& m) { return m.at("seq") == seq && ready(m); });
}

TEST(CApiMessageLife, RepliesEditsDeletionsAndReactionsCarryTheirFields) {
  TestServer server;
  ScratchDir dirs;
  CClient alice(server, dirs.sub("alice"));
  CClient bob(server, dirs.sub("bob"));
  alice.sign_up_online("alice");
  const auto bob_id = bob.sign_up_online("bob").at("id").as_int64();
  const auto room = alice.data({{"type", "direct_room"}, {"username", "bob"}}).at("id").as_int64();

  auto draft = alice.data({{"type", "send_text"}, {"room_id", room}, {"text", "Lunch at noon?"}});
  // Named by client_msg_id while pending: the edit goes out after it, naming its seq.
  auto edit = alice.data({{"type", "edit"}, {"room_id", room}, {"client_msg_id", draft.at("client_msg_id")},
                          {"text", "Lunch at one?"}});
  EXPECT_EQ(edit.at("type"), "edit");
  ASSERT_TRUE(alice.data({{"type", "wait_outbox_empty"}, {"timeout_ms", 15000}}).at("empty").as_bool());
  std::int64_t seq = 0;
  for (const auto& m : alice.messages(room))
    if (m.at("client_msg_id") == draft.at("client_msg_id")) seq = m.at("seq").as_int64();
  ASSERT_GT(seq, 0);

  auto edited = message_at(bob, room, seq, [](const json::object& m) { return m.at("text") == "Lunch at one?"; });
  ASSERT_TRUE(edited);
  EXPECT_TRUE(edited->contains("edited_at"));
  auto versions = alice.data({{"type", "versions"}, {"room_id", room}, {"seq", seq}}).at("versions").as_array();
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].at("text"), "Lunch at noon?");

  bob.data({{"type", "react"}, {"room_id", room}, {"seq", seq}, {"emoji", "👍"}});
  auto reply = bob.data({{"type", "reply"}, {"room_id", room}, {"seq", seq}, {"text", "Yes!"}});
  EXPECT_EQ(reply.at("reply_to"), seq);
  ASSERT_TRUE(bob.data({{"type", "wait_outbox_empty"}, {"timeout_ms", 15000}}).at("empty").as_bool());
  auto reacted = message_at(alice, room, seq, [](const json::object& m) { return m.contains("reactions"); });
  ASSERT_TRUE(reacted);
  EXPECT_EQ(reacted->at("reactions"), json::parse(R"([{"emoji":"👍","count":1,"mine":false}])"));
  auto who = alice.data({{"type", "reactions"}, {"room_id", room}, {"seq", seq}}).at("reactions").as_array();
  ASSERT_EQ(who.size(), 1u);
  EXPECT_EQ(who[0].at("emoji"), "👍");
  EXPECT_EQ(who[0].at("user_ids"), json::array{bob_id});

  auto answer = message_where(alice, room, [](const json::object& m) { return m.at("text") == "Yes!"; });
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->at("reply_to"), seq);
  EXPECT_EQ(answer->at("reply_preview").at("text"), "Lunch at one?");
  EXPECT_EQ(answer->at("reply_preview").at("seq"), seq);

  alice.data({{"type", "delete_message"}, {"room_id", room}, {"seq", seq}});
  auto deleted = message_at(bob, room, seq, [](const json::object& m) { return m.contains("deleted"); });
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->at("deleted"), true);
  EXPECT_EQ(deleted->at("text"), "");
  EXPECT_FALSE(deleted->contains("reactions"));
  // The reply's preview follows: it no longer quotes the deleted text.
  for (const auto& m : bob.messages(room)) {
    if (m.at("text") != "Yes!") continue;
    EXPECT_EQ(m.at("reply_preview").at("deleted"), true);
    EXPECT_EQ(m.at("reply_preview").at("text"), "");
  }
  // Events are not listed: the room holds the message and the reply.
  EXPECT_EQ(bob.messages(room).size(), 2u);
  EXPECT_TRUE(is_error(bob.execute({{"type", "edit"}, {"room_id", room}, {"text", "x"}}), "invalid_payload", "seq"));
}

}  // namespace
}  // namespace parley::c_api_test
