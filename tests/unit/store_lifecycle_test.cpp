// Contract: a message's life in the store, alike on both backends. Edits keep earlier versions,
// deletion takes text, attachment, versions, reactions and its edits' text, reactions are one
// per (emoji, user), and events take seqs without counting as unread.
#include <functional>
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::MessageType;

class StoreLifecycle : public StoreGroupOfTwo {
 protected:
  // An event of `type` acting on `target`, appended in a transaction of its own.
  domain::Message event(MessageType type, UserId sender, Seq target, const std::string& text = "") {
    domain::Message m = text_message(room_.id, sender, text);
    m.type = type;
    m.relates_to = target;
    return append(m);
  }
  void in_transaction(const std::function<void()>& change) {
    must(db().begin_write());
    change();
    must(db().commit());
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreLifecycle, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreLifecycle, AReplyAndAnEventKeepWhatTheyName) {
  auto original = send_text(room_.id, alice_.id, "question");
  auto reply = text_message(room_.id, bob_.id, "answer");
  reply.reply_to = original.seq;
  auto stored_reply = append(reply);
  auto edit = event(MessageType::edit, alice_.id, original.seq, "question?");

  auto found = must(db().find_message_at(room_.id, stored_reply.seq));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->reply_to, original.seq);
  EXPECT_FALSE(found->relates_to);
  auto found_edit = must(db().find_message_at(room_.id, edit.seq));
  ASSERT_TRUE(found_edit);
  EXPECT_EQ(found_edit->type, MessageType::edit);
  EXPECT_EQ(found_edit->relates_to, original.seq);
  EXPECT_FALSE(must(db().find_message_at(room_.id, 99)));

  const std::vector<Seq> wanted{edit.seq, original.seq, 99};
  auto listed = must(db().list_messages_at(room_.id, wanted));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].seq, original.seq);
  EXPECT_EQ(listed[1].seq, edit.seq);
}

TEST_P(StoreLifecycle, EditsReplaceTheTextAndKeepEachEarlierOneAsAVersion) {
  auto original = send_text(room_.id, alice_.id, "first");
  const TimestampMs first_edit = tick();
  in_transaction([&] { must(db().edit_message(room_.id, original.seq, "second", first_edit)); });
  const TimestampMs second_edit = tick();
  in_transaction([&] { must(db().edit_message(room_.id, original.seq, "third", second_edit)); });

  auto now = must(db().find_message_at(room_.id, original.seq));
  ASSERT_TRUE(now);
  EXPECT_EQ(now->text, "third");
  EXPECT_EQ(now->edited_at_ms, second_edit);
  auto versions = must(db().list_message_versions(room_.id, original.seq));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[0].text, "first");
  EXPECT_EQ(versions[0].written_at_ms, original.created_at_ms);
  EXPECT_EQ(versions[1].version, 2);
  EXPECT_EQ(versions[1].text, "second");
  EXPECT_EQ(versions[1].written_at_ms, first_edit);
}

TEST_P(StoreLifecycle, DeletionTakesTextAttachmentVersionsReactionsAndTheEditsText) {
  auto photo = text_message(room_.id, alice_.id, "caption");
  photo.type = MessageType::image;
  photo.attachment = domain::Attachment{.upload_id = "", .name = "p.png", .mime_type = "image/png", .size = 10};
  auto stored = append(photo);
  auto edit = event(MessageType::edit, alice_.id, stored.seq, "new caption");
  in_transaction([&] {
    must(db().edit_message(room_.id, stored.seq, "new caption", tick()));
    EXPECT_TRUE(must(db().add_reaction(room_.id, stored.seq, bob_.id, "👍", tick())));
  });
  const TimestampMs deleted_at = tick();
  in_transaction([&] { must(db().delete_message(room_.id, stored.seq, deleted_at)); });

  auto tombstone = must(db().find_message_at(room_.id, stored.seq));
  ASSERT_TRUE(tombstone);
  EXPECT_EQ(tombstone->seq, stored.seq);
  EXPECT_EQ(tombstone->type, MessageType::image);
  EXPECT_EQ(tombstone->text, "");
  EXPECT_FALSE(tombstone->attachment);
  EXPECT_EQ(tombstone->deleted_at_ms, deleted_at);
  EXPECT_TRUE(must(db().list_message_versions(room_.id, stored.seq)).empty());
  EXPECT_TRUE(must(db().list_reactions(room_.id, stored.seq)).empty());
  EXPECT_EQ(must(db().find_message_at(room_.id, edit.seq))->text, "") << "the edit's text is the message's too";
  // No gap: the room's seqs run on.
  EXPECT_EQ(stored_room(room_.id).last_seq, edit.seq);
}

TEST_P(StoreLifecycle, AReactionIsOnePerEmojiAndUserAndCountsPerReader) {
  auto a = send_text(room_.id, alice_.id, "a");
  auto b = send_text(room_.id, alice_.id, "b");
  in_transaction([&] {
    EXPECT_TRUE(must(db().add_reaction(room_.id, a.seq, bob_.id, "👍", tick())));
    EXPECT_FALSE(must(db().add_reaction(room_.id, a.seq, bob_.id, "👍", tick()))) << "twice changes nothing";
    EXPECT_TRUE(must(db().add_reaction(room_.id, a.seq, alice_.id, "❤️", tick())));
    EXPECT_TRUE(must(db().add_reaction(room_.id, a.seq, alice_.id, "👍", tick())));
    EXPECT_TRUE(must(db().add_reaction(room_.id, b.seq, bob_.id, "🎉", tick())));
  });
  auto tally = must(db().tally_reactions(room_.id, a.seq, alice_.id));
  EXPECT_EQ(tally.distinct, 2);
  EXPECT_EQ(tally.mine, 2);

  auto counts = must(db().count_reactions(room_.id, a.seq, b.seq, bob_.id));
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].seq, a.seq);
  EXPECT_EQ(counts[0].count.emoji, "👍") << "in the order first used";
  EXPECT_EQ(counts[0].count.count, 2);
  EXPECT_TRUE(counts[0].count.mine);
  EXPECT_EQ(counts[1].count.emoji, "❤️");
  EXPECT_EQ(counts[1].count.count, 1);
  EXPECT_FALSE(counts[1].count.mine);
  EXPECT_EQ(counts[2].seq, b.seq);

  auto who = must(db().list_reactions(room_.id, a.seq));
  ASSERT_EQ(who.size(), 3u);
  EXPECT_EQ(who[0].emoji, "👍");
  EXPECT_EQ(who[0].user, bob_.id);
  EXPECT_EQ(who[1].emoji, "👍");
  EXPECT_EQ(who[1].user, alice_.id);
  EXPECT_EQ(who[2].emoji, "❤️");

  in_transaction([&] {
    EXPECT_TRUE(must(db().remove_reaction(room_.id, a.seq, bob_.id, "👍")));
    EXPECT_FALSE(must(db().remove_reaction(room_.id, a.seq, bob_.id, "👍"))) << "not there to remove";
  });
  EXPECT_EQ(must(db().list_reactions(room_.id, a.seq)).size(), 2u);
}

TEST_P(StoreLifecycle, EventsTakeSeqsButNeverCountAsUnread) {
  auto first = send_text(room_.id, alice_.id, "one");
  event(MessageType::edit, alice_.id, first.seq, "one!");
  event(MessageType::reaction, alice_.id, first.seq, "👍");
  event(MessageType::reaction_removed, alice_.id, first.seq, "👍");
  send_text(room_.id, alice_.id, "two");
  event(MessageType::deletion, alice_.id, first.seq);

  EXPECT_EQ(stored_room(room_.id).last_seq, 6);
  EXPECT_EQ(must(db().find_room_summary(room_.id, bob_.id))->unread_count, 2);
  // Reading up to an event reads what came before it; the events after change nothing.
  must(db().advance_watermarks(room_.id, bob_.id, 4, 4));
  EXPECT_EQ(must(db().find_room_summary(room_.id, bob_.id))->unread_count, 1);
  EXPECT_EQ(must(db().find_room_summary(room_.id, alice_.id))->unread_count, 0) << "one's own are never unread";
  must(db().advance_watermarks(room_.id, alice_.id, 1, 1));
  EXPECT_EQ(must(db().find_room_summary(room_.id, alice_.id))->unread_count, 0);
}

}  // namespace
}  // namespace parley::store::testing
