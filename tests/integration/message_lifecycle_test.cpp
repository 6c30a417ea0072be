// A message's life over the wire: replies with a preview that follows the original, edits by
// the sender within the window with earlier versions readable, deletion for everyone by the
// sender or a group's admin, reactions counted per emoji, and none of these events unread.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::test {
namespace {

namespace json = boost::json;

// One server for the suite; each test makes its own users and room.
class MessageLifecycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() { delete server_; }
  void SetUp() override {
    alice_ = register_user(*server_, "alice");
    bob_ = register_user(*server_, "bob");
    carol_ = register_user(*server_, "carol");
    a_.emplace(connect(*server_, alice_));
    b_.emplace(connect(*server_, bob_));
    c_.emplace(connect(*server_, carol_));
    room_ = create_group(*a_, "lifecycle", {bob_.id, carol_.id});  // alice is its admin
  }

  // messages.send of an event acting on `target`.
  WsReply act(WsClient& ws, std::string_view type, std::int64_t target, std::string_view text,
              std::string_view client_msg_id) {
    return ws.request("messages.send", {{"room_id", room_},
                                        {"client_msg_id", client_msg_id},
                                        {"type", type},
                                        {"relates_to", target},
                                        {"text", text}});
  }
  // The message at `seq` as `ws`'s user reads it in history.
  json::object read_at(WsClient& ws, std::int64_t seq) {
    auto page = require_ok(ws.request("messages.history", {{"room_id", room_}, {"before", seq + 1}, {"limit", 1}}),
                           "history");
    const auto& messages = get_arr(page, "messages");
    if (messages.empty()) throw std::runtime_error("no message at seq " + std::to_string(seq));
    return as_obj(messages.back());
  }
  std::int64_t unread_of(WsClient& ws) {
    auto rooms = require_ok(ws.request("rooms.list"), "rooms.list");
    for (const auto& r : get_arr(rooms, "rooms"))
      if (get_int(as_obj(r), "id") == room_) return get_int(as_obj(r), "unread_count");
    throw std::runtime_error("room not listed");
  }

  static TestServer* server_;
  Account alice_, bob_, carol_;
  std::optional<WsClient> a_, b_, c_;
  std::int64_t room_ = 0;
};

TestServer* MessageLifecycleTest::server_ = nullptr;

TEST_F(MessageLifecycleTest, AReplyCarriesAPreviewThatFollowsTheOriginalsEditAndDeletion) {
  const auto original = send_text(*a_, room_, "Lunch at noon?", "q-1");
  const std::int64_t original_seq = get_int(original, "seq");
  auto reply = require_ok(b_->request("messages.send", {{"room_id", room_},
                                                       {"client_msg_id", "r-1"},
                                                       {"text", "Yes!"},
                                                       {"reply_to", original_seq}}),
                          "reply");
  const auto& sent = get_obj(reply, "message");
  EXPECT_EQ(get_int(sent, "reply_to"), original_seq);
  EXPECT_EQ(get_str(get_obj(sent, "reply_preview"), "text"), "Lunch at noon?");
  // Live, as the original's sender gets it.
  auto live = wait_message(*a_, room_, "r-1");
  EXPECT_EQ(get_int(get_obj(live, "reply_preview"), "sender_id"), alice_.id);
  const std::int64_t reply_seq = get_int(sent, "seq");

  require_ok(act(*a_, "edit", original_seq, "Lunch at one?", "q-1-edit"), "edit");
  EXPECT_EQ(get_str(get_obj(read_at(*c_, reply_seq), "reply_preview"), "text"), "Lunch at one?");

  require_ok(act(*a_, "deletion", original_seq, "", "q-1-delete"), "deletion");
  const auto preview = get_obj(read_at(*c_, reply_seq), "reply_preview");
  EXPECT_TRUE(get_bool(preview, "deleted"));
  EXPECT_EQ(get_str(preview, "text"), "");

  // A reply names a message of the room that people wrote.
  auto missing = b_->request("messages.send", {{"room_id", room_}, {"client_msg_id", "r-2"}, {"text", "?"}, {"reply_to", 999}});
  EXPECT_EQ(missing.error_code(), "not_found");
  auto to_system = b_->request("messages.send", {{"room_id", room_}, {"client_msg_id", "r-3"}, {"text", "?"}, {"reply_to", 1}});
  EXPECT_EQ(to_system.error_code(), "invalid_payload") << "seq 1 is the room's creation";
}

TEST_F(MessageLifecycleTest, OnlyTheSenderEditsAndEarlierVersionsStayReadable) {
  const std::int64_t seq = get_int(send_text(*a_, room_, "teh plan", "m-1"), "seq");
  EXPECT_EQ(act(*b_, "edit", seq, "bob's words", "b-edit").error_code(), "forbidden");
  EXPECT_EQ(act(*a_, "edit", seq, "   ", "blank-edit").error_code(), "invalid_payload");

  auto edit = require_ok(act(*a_, "edit", seq, "the plan", "a-edit"), "edit");
  const auto& event = get_obj(edit, "message");
  EXPECT_EQ(get_str(event, "type"), "edit");
  EXPECT_EQ(get_int(event, "relates_to"), seq);
  // Followed live by the other members, as an event of the stream.
  auto live = wait_message(*b_, room_, "a-edit");
  EXPECT_EQ(get_str(live, "text"), "the plan");

  const auto now = read_at(*b_, seq);
  EXPECT_EQ(get_str(now, "text"), "the plan");
  EXPECT_TRUE(has_field(now, "edited_at"));
  auto versions = require_ok(b_->request("messages.versions", {{"room_id", room_}, {"seq", seq}}), "versions");
  ASSERT_EQ(get_arr(versions, "versions").size(), 1u);
  EXPECT_EQ(get_str(as_obj(get_arr(versions, "versions")[0]), "text"), "teh plan");

  // A retry of the same edit is the same event, and makes no second version.
  auto retry = require_ok(act(*a_, "edit", seq, "the plan", "a-edit"), "retried edit");
  EXPECT_TRUE(get_bool(retry, "duplicate"));
  EXPECT_EQ(get_int(get_obj(retry, "message"), "seq"), get_int(event, "seq"));
  auto again = http_request(server_->port(), "GET",
                            "/v1/rooms/" + std::to_string(room_) + "/messages/" + std::to_string(seq) + "/versions", {},
                            carol_.access_token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(get_arr(again.object(), "versions").size(), 1u);
}

TEST_F(MessageLifecycleTest, AServerWithoutAnEditWindowRefusesEdits) {
  TestServer strict({"--edit-window", "0"});
  auto alice = register_user(strict, "alice");
  auto bob = register_user(strict, "bob");
  WsClient ws = connect(strict, alice);
  const std::int64_t room = direct_room(ws, bob.id);
  const std::int64_t seq = get_int(send_text(ws, room, "sent", "w-1"), "seq");
  auto late = ws.request("messages.send", {{"room_id", room}, {"client_msg_id", "w-edit"}, {"type", "edit"},
                                           {"relates_to", seq}, {"text", "changed"}});
  EXPECT_EQ(late.error_code(), "conflict");
  EXPECT_EQ(get_str(fetch_history(ws, room).back(), "text"), "sent");
}

TEST_F(MessageLifecycleTest, TheSenderOrAGroupAdminDeletesForEveryoneAndATombstoneKeepsTheSeq) {
  const std::int64_t bobs = get_int(send_text(*b_, room_, "oops, wrong room", "b-1"), "seq");
  const std::int64_t carols = get_int(send_text(*c_, room_, "carol was here", "c-1"), "seq");
  EXPECT_EQ(act(*c_, "deletion", bobs, "", "c-del").error_code(), "forbidden") << "a member deletes only their own";
  EXPECT_EQ(act(*b_, "deletion", bobs, "not empty", "b-del-text").error_code(), "invalid_payload");

  require_ok(act(*a_, "deletion", bobs, "", "a-del"), "admin's deletion");
  require_ok(act(*c_, "deletion", carols, "", "c-del-own"), "own deletion");
  for (std::int64_t seq : {bobs, carols}) {
    const auto tombstone = read_at(*b_, seq);
    EXPECT_EQ(get_int(tombstone, "seq"), seq);
    EXPECT_TRUE(get_bool(tombstone, "deleted"));
    EXPECT_EQ(get_str(tombstone, "text"), "");
    EXPECT_FALSE(has_field(tombstone, "attachment"));
  }
  EXPECT_EQ(act(*b_, "edit", bobs, "back", "b-edit").error_code(), "conflict");
  EXPECT_EQ(act(*b_, "reaction", bobs, "👍", "b-react").error_code(), "conflict");
  EXPECT_EQ(act(*a_, "deletion", bobs, "", "a-del-2").error_code(), "conflict");
  EXPECT_EQ(act(*a_, "deletion", 1, "", "a-del-system").error_code(), "invalid_payload")
      << "a system message is the server's record";
}

TEST_F(MessageLifecycleTest, ReactionsAreCountedPerEmojiWithTheReadersOwnMarked) {
  const std::int64_t seq = get_int(send_text(*a_, room_, "we shipped", "s-1"), "seq");
  require_ok(act(*b_, "reaction", seq, "🎉", "b-r1"), "bob 🎉");
  auto twice = require_ok(act(*b_, "reaction", seq, "🎉", "b-r2"), "bob 🎉 again");
  EXPECT_TRUE(get_bool(twice, "unchanged")) << "adding twice changes nothing";
  require_ok(act(*c_, "reaction", seq, "🎉", "c-r1"), "carol 🎉");
  require_ok(act(*c_, "reaction", seq, "👍🏽", "c-r2"), "carol 👍🏽");
  require_ok(act(*a_, "reaction", seq, "👨‍👩‍👧", "a-r1"), "a family, joined by ZWJs");

  const auto as_bob = read_at(*b_, seq);
  const auto& reactions = get_arr(as_bob, "reactions");
  ASSERT_EQ(reactions.size(), 3u) << json::serialize(as_bob);
  EXPECT_EQ(get_str(as_obj(reactions[0]), "emoji"), "🎉");
  EXPECT_EQ(get_int(as_obj(reactions[0]), "count"), 2);
  EXPECT_TRUE(get_bool(as_obj(reactions[0]), "mine"));
  EXPECT_FALSE(get_bool(as_obj(reactions[1]), "mine"));

  auto who = require_ok(a_->request("messages.reactions", {{"room_id", room_}, {"seq", seq}}), "who");
  const auto& first = as_obj(get_arr(who, "reactions")[0]);
  EXPECT_EQ(get_str(first, "emoji"), "🎉");
  EXPECT_EQ(get_arr(first, "user_ids").size(), 2u);
  EXPECT_EQ(get_arr(first, "user_ids")[0].as_int64(), bob_.id) << "in the order they reacted";

  require_ok(act(*b_, "reaction_removed", seq, "🎉", "b-r3"), "bob takes his back");
  auto none = require_ok(act(*b_, "reaction_removed", seq, "🎉", "b-r4"), "and again");
  EXPECT_TRUE(get_bool(none, "unchanged"));
  EXPECT_EQ(get_int(as_obj(get_arr(read_at(*b_, seq), "reactions")[0]), "count"), 1);

  for (std::string_view bad : {"", "ab", "👍👍", " ", "e\u0301\u0301x", "\u200d"})
    EXPECT_EQ(act(*b_, "reaction", seq, bad, "bad-" + std::to_string(bad.size())).error_code(), "invalid_payload")
        << "\"" << bad << "\"";
  require_ok(act(*b_, "reaction", seq, "🇫🇷", "b-flag"), "a flag");
  require_ok(act(*b_, "reaction", seq, "é", "b-letter"), "a letter with its mark");
}

TEST_F(MessageLifecycleTest, EventsAreNeverUnreadAndLeaveTheStatusAsItWas) {
  const std::int64_t seq = get_int(send_text(*a_, room_, "count me once", "u-1"), "seq");
  const std::int64_t before = unread_of(*b_);
  require_ok(act(*a_, "edit", seq, "count me once!", "u-edit"), "edit");
  require_ok(act(*c_, "reaction", seq, "👀", "u-react"), "reaction");
  EXPECT_EQ(unread_of(*b_), before);
  const auto as_sender = read_at(*a_, seq);
  EXPECT_EQ(get_str(get_obj(as_sender, "status"), "state"), "sent") << json::serialize(as_sender);
  EXPECT_EQ(act(*a_, "edit", 0, "x", "u-zero").error_code(), "invalid_payload");
  auto no_target = a_->request("messages.send", {{"room_id", room_}, {"client_msg_id", "u-none"}, {"type", "reaction"}, {"text", "👍"}});
  EXPECT_EQ(no_target.error_code(), "invalid_payload");
}

}  // namespace
}  // namespace parley::test
