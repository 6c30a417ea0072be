// A message's life through the SDK: replies with their previews, edits, deletions that leave
// nothing behind on the device, reactions, and actions written offline that go out in order.
#include <fstream>
#include <iterator>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The message at `seq` as a client's local history holds it.
std::optional<Message> held(Client& c, RoomId room, Seq seq) {
  c.drain();
  for (const auto& m : c.messages(room, 1000))
    if (m.seq == seq) return m;
  return std::nullopt;
}

Message sent_message(Client& c, RoomId room, const std::string& text) {
  auto pending = must(c.send_text(room, text), "send");
  if (!c.wait_outbox_empty(15s)) throw std::runtime_error("the message never went");
  for (const auto& m : c.messages(room, 1000))
    if (m.client_msg_id == pending.client_msg_id) return m;
  throw std::runtime_error("the sent message is not in the history");
}

TEST(SdkMessageLife, AReplyCarriesAPreviewOfTheMessageItAnswers) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  auto question = sent_message(*alice, room.id, "Lunch at one?");
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, question.seq).has_value(); }));

  auto reply = must(bob->reply(room.id, question.seq, "Yes!"), "reply");
  EXPECT_EQ(reply.reply_to, question.seq);
  ASSERT_TRUE(bob->wait_outbox_empty(15s));

  Seq reply_seq = 0;
  ASSERT_TRUE(eventually([&] {
    alice->drain();
    for (const auto& m : alice->messages(room.id))
      if (m.text == "Yes!") reply_seq = m.seq;
    return reply_seq > 0;
  }));
  for (Client* c : {alice.get(), bob.get()}) {
    auto seen = held(*c, room.id, reply_seq);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->reply_to, question.seq);
    ASSERT_TRUE(seen->reply_preview);
    EXPECT_EQ(seen->reply_preview->seq, question.seq);
    EXPECT_EQ(seen->reply_preview->sender_id, question.sender_id);
    EXPECT_EQ(seen->reply_preview->text, "Lunch at one?");
    EXPECT_FALSE(seen->reply_preview->deleted);
  }
}

TEST(SdkMessageLife, AnEditShowsInTheHistoryReadOffline) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  auto message = sent_message(*alice, room.id, "Lunch at noon?");
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, message.seq).has_value(); }));

  must(alice->edit(message, "Lunch at one?"), "edit");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, message.seq)->text == "Lunch at one?"; }));
  auto versions = must(alice->versions(room.id, message.seq), "versions");
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].text, "Lunch at noon?");

  // Offline, after a restart: the history is the message in its new state, and no event.
  bob.reset();
  alice.reset();
  server.stop();
  for (const char* who : {"alice", "bob"}) {
    auto offline = open_client(server, dirs.sub(who));
    auto history = offline->messages(room.id);
    ASSERT_EQ(history.size(), 1u) << who;
    EXPECT_EQ(history[0].seq, message.seq);
    EXPECT_EQ(history[0].text, "Lunch at one?") << who;
    EXPECT_TRUE(history[0].edited_at.has_value()) << who;
    EXPECT_FALSE(history[0].deleted);
  }
}

TEST(SdkMessageLife, ADeletionLeavesNeitherTextNorDownloadedFileOnTheDevice) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  const std::string caption = "zebra-caption-7731";
  const std::string bytes = "zebra-file-bytes-7731 " + std::string(4096, 'z');
  const auto file = dirs.sub("docs") / "plan.txt";
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
  auto pending = must(alice->send_file(room.id, file, {.type = "file", .caption = caption}), "send the file");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  Message sent;
  for (const auto& m : alice->messages(room.id))
    if (m.client_msg_id == pending.client_msg_id) sent = m;
  ASSERT_GT(sent.seq, 0);
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, sent.seq).has_value(); }));
  const auto bobs_copy = must(bob->download(*held(*bob, room.id, sent.seq)), "bob downloads");
  const auto alices_copy = must(alice->download(sent), "alice's cached copy");
  ASSERT_EQ(read_all(bobs_copy), bytes);

  must(alice->remove(sent), "delete");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, sent.seq)->deleted; }));
  ASSERT_TRUE(eventually([&] { return held(*alice, room.id, sent.seq)->deleted; }));
  for (Client* c : {alice.get(), bob.get()}) {
    auto gone = held(*c, room.id, sent.seq);
    EXPECT_TRUE(gone->text.empty());
    EXPECT_FALSE(gone->attachment.has_value());
    // The rooms list's copy is updated on the same event, and may be read a moment before it.
    EXPECT_TRUE(eventually([&] {
      auto listed = c->room(room.id);
      return listed && listed->last_message && listed->last_message->text.empty();
    })) << "the rooms list still shows the deleted message's text";
  }
  EXPECT_FALSE(std::filesystem::exists(bobs_copy));
  EXPECT_FALSE(std::filesystem::exists(alices_copy));

  // Neither the database's bytes (closed, so whole in one file) nor any file of the data
  // directories still holds the caption or the file.
  alice.reset();
  bob.reset();
  for (const char* who : {"alice", "bob"}) {
    EXPECT_TRUE(local_rows(dirs.sub(who), "SELECT body FROM messages WHERE body LIKE '%zebra%'").empty()) << who;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dirs.sub(who))) {
      if (!entry.is_regular_file()) continue;
      const auto content = read_all(entry.path());
      EXPECT_EQ(content.find(caption), std::string::npos) << entry.path().filename();
      EXPECT_EQ(content.find("zebra-file-bytes"), std::string::npos) << entry.path().filename();
    }
  }
}

TEST(SdkMessageLife, ReactionsAreCountedAndOnesOwnAreMine) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  auto message = sent_message(*alice, room.id, "Ship it?");
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, message.seq).has_value(); }));

  must(bob->react(room.id, message.seq, "👍"), "bob reacts");
  ASSERT_TRUE(bob->wait_outbox_empty(15s));
  must(alice->react(message, "👍"), "alice reacts");
  must(alice->react(message, "🎉"), "alice reacts again");
  must(alice->react(message, "👍"), "the same reaction twice");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));

  auto reactions_of = [&](Client& c) { return held(c, room.id, message.seq)->reactions; };
  auto settled = [&](Client& c, std::size_t emoji) {
    return eventually([&] {
      auto r = reactions_of(c);
      return r.size() == emoji && r[0].count == 2;
    });
  };
  ASSERT_TRUE(settled(*alice, 2));
  ASSERT_TRUE(settled(*bob, 2));
  auto mine = reactions_of(*alice);
  EXPECT_EQ(mine[0].emoji, "👍");
  EXPECT_TRUE(mine[0].mine);
  EXPECT_EQ(mine[1].emoji, "🎉");
  EXPECT_EQ(mine[1].count, 1);
  EXPECT_TRUE(mine[1].mine);
  auto theirs = reactions_of(*bob);
  EXPECT_TRUE(theirs[0].mine);
  EXPECT_FALSE(theirs[1].mine);

  auto who = must(alice->reactions(room.id, message.seq), "who reacted");
  ASSERT_EQ(who.size(), 2u);
  EXPECT_EQ(who[0].user_ids, (std::vector<UserId>{bob->me()->id, alice->me()->id}));

  must(alice->unreact(message, "🎉"), "take it back");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  ASSERT_TRUE(eventually([&] { return reactions_of(*bob).size() == 1; }));
  EXPECT_EQ(reactions_of(*alice).size(), 1u);
}

TEST(SdkMessageLife, EventsMissedOfflineAreAppliedOnceByTheCatchUpAndByANewDevice) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  auto message = sent_message(*alice, room.id, "Friday?");
  ASSERT_TRUE(eventually([&] { return held(*bob, room.id, message.seq).has_value(); }));
  must(bob->react(message.room_id, message.seq, "👍"), "bob reacts while online");
  ASSERT_TRUE(bob->wait_outbox_empty(15s));

  bob->disconnect();
  must(alice->edit(message, "Saturday?"), "edit");
  must(alice->react(message, "👍"), "react");
  must(alice->react(message, "🎉"), "react again");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  bob->connect();
  ASSERT_TRUE(bob->wait_online(15s));
  // A device with nothing yet gets the message in its current state and the events after it.
  auto laptop = online_client(server, dirs.sub("bob-laptop"), "bob", false);

  for (Client* c : {bob.get(), laptop.get()}) {
    ASSERT_TRUE(eventually([&] { return held(*c, room.id, message.seq)->reactions.size() == 2; }));
    auto seen = held(*c, room.id, message.seq);
    EXPECT_EQ(seen->text, "Saturday?");
    EXPECT_EQ(seen->reactions[0].emoji, "👍");
    EXPECT_EQ(seen->reactions[0].count, 2);  // bob's and alice's, each once
    EXPECT_TRUE(seen->reactions[0].mine);
    EXPECT_EQ(seen->reactions[1].count, 1);
    EXPECT_FALSE(seen->reactions[1].mine);
    EXPECT_EQ(c->messages(room.id).size(), 1u);
    // The rooms list shows the message, not the last event.
    ASSERT_TRUE(eventually([&] { return c->room(room.id)->last_message && c->room(room.id)->last_message->seq == message.seq; }));
    EXPECT_EQ(c->room(room.id)->last_message->text, "Saturday?");
  }
}

TEST(SdkMessageLife, AnEditWrittenOfflineOfAMessageWrittenOfflineGoesOutAfterIt) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  alice->disconnect();

  auto draft = must(alice->send_text(room.id, "See you at noon"), "write offline");
  auto edit = must(alice->edit(draft, "See you at one"), "edit it, still offline");
  EXPECT_FALSE(edit.relates_to.has_value());  // its seq is not known yet
  must(alice->react(draft, "👍"), "react to it, still offline");
  // Across a restart: both wait on disk.
  alice.reset();
  alice = open_client(server, dirs.sub("alice"));
  ASSERT_EQ(alice->messages(room.id).size(), 1u);  // the actions are not messages to show

  alice->connect();
  ASSERT_TRUE(alice->wait_online(15s));
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  auto original = alice->messages(room.id);
  ASSERT_EQ(original.size(), 1u);
  EXPECT_EQ(original[0].text, "See you at one");
  const Seq seq = original[0].seq;
  ASSERT_GT(seq, 0);

  // The server has the original, then the edit naming its seq, then the reaction: as bob got them.
  ASSERT_TRUE(eventually([&] {
    auto seen = held(*bob, room.id, seq);
    return seen && seen->text == "See you at one" && seen->reactions.size() == 1;
  }));
  auto stored = local_rows(dirs.sub("bob"), "SELECT json_extract(body, '$.type') || ' ' || "
                                            "COALESCE(json_extract(body, '$.relates_to'), '-') || ' ' || "
                                            "json_extract(body, '$.text') FROM messages WHERE json_extract(body, '$.type') != 'system' "
                                            "AND room_id = " + std::to_string(room.id.value) + " ORDER BY seq");
  EXPECT_EQ(stored, (std::vector<std::string>{"text - See you at one", "edit " + std::to_string(seq) + " See you at one",
                                              "reaction " + std::to_string(seq) + " 👍"}));
  EXPECT_EQ(bob->messages(room.id).size(), 1u);
}

TEST(SdkMessageLife, AnActionOnAMessageThatNeverWentFails) {
  test::TestServer server;
  ScratchDir dirs;
  auto [alice, bob, room] = direct_pair(server, dirs);
  alice->disconnect();
  auto draft = must(alice->send_text(room.id, "never mind"), "write offline");
  auto edit = must(alice->edit(draft, "really never mind"), "edit offline");
  must(alice->discard(draft.client_msg_id), "the original goes");
  std::optional<Message> failed;
  alice->set_observer({.message = [&](const Message& m) {
    if (m.client_msg_id == edit.client_msg_id && m.state == MessageState::failed) failed = m;
  }});
  alice->connect();
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  ASSERT_TRUE(eventually([&] { alice->drain(); return failed.has_value(); }));
  EXPECT_EQ(failed->type, "edit");
  EXPECT_EQ(failed->failure_code, ErrorCode::not_found);
  EXPECT_TRUE(alice->messages(room.id).empty());
}

}  // namespace
}  // namespace parley::sdk_test
