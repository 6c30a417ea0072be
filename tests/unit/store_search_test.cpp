// Contract: full-text search over messages. What both engines guarantee: every word is required
// and matched as the start of a word, only the reader's rooms, never system messages, deleted
// messages or a message's old text; ranking only where both agree (a word found twice ranks
// above a word found once in a text as long).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::MessageType;

class StoreSearch : public StoreGroupOfTwo {
 protected:
  std::vector<MessageId> found(UserId reader, const std::string& text, std::optional<RoomId> room = std::nullopt,
                               int offset = 0, int limit = 50) {
    auto query = must(domain::parse_search_query(text), "parse_search_query");
    std::vector<MessageId> ids;
    for (const auto& m : must(db().search_messages(reader, query, room, offset, limit))) ids.push_back(m.id);
    return ids;
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreSearch, ::testing::ValuesIn(store_backends()), backend_name);

using Ids = std::vector<MessageId>;

TEST_P(StoreSearch, EveryWordIsRequiredAndMatchesTheStartOfAWord) {
  auto report = send_text(room_.id, alice_.id, "The quarterly Report is ready");
  auto quarter = send_text(room_.id, bob_.id, "see you next quarter");
  send_text(room_.id, bob_.id, "headquarters moved");  // "quart" inside a word: no match

  EXPECT_EQ(found(alice_.id, "quart rep"), Ids{report.id});
  auto both = found(alice_.id, "QUART");
  EXPECT_EQ(std::set<MessageId>(both.begin(), both.end()), (std::set<MessageId>{report.id, quarter.id}));
  EXPECT_TRUE(found(alice_.id, "quarterlyx").empty());
}

TEST_P(StoreSearch, AWordFoundTwiceRanksAboveAWordFoundOnce) {
  auto twice = send_text(room_.id, alice_.id, "apple and apple pie");
  auto once = send_text(room_.id, alice_.id, "apple and cherry pie");
  EXPECT_EQ(found(alice_.id, "apple"), (Ids{twice.id, once.id}));
}

TEST_P(StoreSearch, PagesNeitherRepeatNorSkip) {
  std::set<MessageId> sent;
  for (int i = 0; i < 7; ++i)
    sent.insert(send_text(room_.id, i % 2 ? alice_.id : bob_.id, "page " + std::string(i + 1, 'x')).id);
  const auto all = found(alice_.id, "page", std::nullopt, 0, 50);
  ASSERT_EQ(all.size(), 7u);
  Ids paged;
  for (int offset = 0; offset < 9; offset += 3) {
    auto page = found(alice_.id, "page", std::nullopt, offset, 3);
    paged.insert(paged.end(), page.begin(), page.end());
  }
  EXPECT_EQ(paged, all);
  EXPECT_EQ(std::set<MessageId>(all.begin(), all.end()), sent);
}

TEST_P(StoreSearch, FindsOnlyRoomsTheReaderIsIn) {
  auto carol = add_user("carol");
  auto other = add_group(carol.id, "elsewhere");
  auto mine = send_text(room_.id, bob_.id, "the secret plan");
  auto theirs = send_text(other.id, carol.id, "another secret");

  EXPECT_EQ(found(alice_.id, "secret"), Ids{mine.id});
  EXPECT_EQ(found(carol.id, "secret"), Ids{theirs.id});
  // Naming a room the reader is not in finds nothing in it either.
  EXPECT_TRUE(found(alice_.id, "secret", other.id).empty());
}

TEST_P(StoreSearch, OneRoomWhenOneIsNamed) {
  auto second = add_group(alice_.id, "second");
  auto here = send_text(room_.id, alice_.id, "lunch today?");
  auto there = send_text(second.id, alice_.id, "lunch tomorrow?");
  EXPECT_EQ(found(alice_.id, "lunch", room_.id), Ids{here.id});
  EXPECT_EQ(found(alice_.id, "lunch", second.id), Ids{there.id});
  EXPECT_EQ(found(alice_.id, "lunch").size(), 2u);
}

TEST_P(StoreSearch, AMemberWhoLeftNoLongerFindsTheRoom) {
  send_text(room_.id, alice_.id, "farewell party");
  ASSERT_EQ(found(bob_.id, "farewell").size(), 1u);
  must(db().begin_write());
  must(db().delete_member(room_.id, bob_.id));
  must(db().commit());
  EXPECT_TRUE(found(bob_.id, "farewell").empty());
}

TEST_P(StoreSearch, AnEditedMessageIsFoundByItsNewTextOnly) {
  auto m = send_text(room_.id, alice_.id, "meet at the station");
  must(db().begin_write());
  must(db().edit_message(room_.id, m.seq, "meet at the harbour", tick()));
  must(db().commit());
  EXPECT_TRUE(found(alice_.id, "station").empty());
  EXPECT_EQ(found(alice_.id, "harbour"), Ids{m.id});
  EXPECT_EQ(found(alice_.id, "meet"), Ids{m.id});
}

TEST_P(StoreSearch, ADeletedMessageIsNotFound) {
  auto image = text_message(room_.id, alice_.id, "holiday photo");
  image.type = MessageType::image;
  image.attachment =
      domain::Attachment{.upload_id = "up-1", .name = "beach.png", .mime_type = "image/png", .size = 10};
  auto stored = append(image);
  auto kept = send_text(room_.id, bob_.id, "another holiday");
  must(db().begin_write());
  must(db().delete_message(room_.id, stored.seq, tick()));
  must(db().commit());
  EXPECT_EQ(found(alice_.id, "holiday"), Ids{kept.id});
  EXPECT_TRUE(found(alice_.id, "beach").empty());
}

TEST_P(StoreSearch, AMessageChangedInTheTransactionThatStoredItIsFoundAsItStands) {
  // SQLite indexes a transaction's messages when it commits (013_search_index_at_commit.sql): an
  // edit, a deletion or an undone operation before then must leave the index as if the message
  // had been stored as it stands at the commit.
  must(db().begin_write());
  auto edited = must(db().append_message(text_message(room_.id, alice_.id, "meet at the station")));
  must(db().edit_message(room_.id, edited.seq, "meet at the harbour", tick()));
  auto deleted = must(db().append_message(text_message(room_.id, bob_.id, "meet secretly")));
  must(db().delete_message(room_.id, deleted.seq, tick()));
  must(db().savepoint());
  must(db().append_message(text_message(room_.id, bob_.id, "meet never")));
  db().rollback_to_savepoint();
  must(db().commit());
  EXPECT_TRUE(found(alice_.id, "station").empty());
  EXPECT_TRUE(found(alice_.id, "secretly").empty());
  EXPECT_TRUE(found(alice_.id, "never").empty());
  EXPECT_EQ(found(alice_.id, "meet"), Ids{edited.id});

  // Once committed, a later edit takes the indexed text out and puts the new one in.
  must(db().begin_write());
  must(db().edit_message(room_.id, edited.seq, "meet at the pier", tick()));
  must(db().commit());
  EXPECT_TRUE(found(alice_.id, "harbour").empty());
  EXPECT_EQ(found(alice_.id, "pier"), Ids{edited.id});
  if (GetParam().name.starts_with("sqlite")) {
    // FTS5 checks its index against the messages: a 'delete' of values it was never given, or a
    // message left out, fails it.
    must(db().sql().run("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')", {},
                        [](const SqlRow&) -> Result<void> { return {}; }),
         "FTS5 integrity-check");
  }
}

TEST_P(StoreSearch, AnAttachmentIsFoundByItsFileName) {
  auto file = text_message(room_.id, alice_.id, "");
  file.type = MessageType::file;
  file.attachment =
      domain::Attachment{.upload_id = "up-2", .name = "budget 2025.xlsx", .mime_type = "text/plain", .size = 1};
  auto stored = append(file);
  EXPECT_EQ(found(bob_.id, "budget"), Ids{stored.id});
}

TEST_P(StoreSearch, SystemMessagesAreNeverFound) {
  send_system(room_.id, alice_.id, domain::SystemEvent::member_added, bob_.id);
  send_system(room_.id, alice_.id, domain::SystemEvent::room_renamed);
  EXPECT_TRUE(found(alice_.id, "member").empty());
  EXPECT_TRUE(found(alice_.id, "room").empty());
}

TEST_P(StoreSearch, EngineSyntaxInAQueryIsOnlyWords) {
  auto m = send_text(room_.id, alice_.id, "not or and near: apples - \"quoted\" * star");
  EXPECT_EQ(found(alice_.id, "NOT OR AND NEAR( apples* -\"quoted\":"), Ids{m.id});
  EXPECT_TRUE(found(alice_.id, "\"*:-(").empty());  // no words at all: nothing
}

TEST_P(StoreSearch, WordsOutsideAsciiAreFound) {
  auto m = send_text(room_.id, alice_.id, "Grüße aus München, 東京 too");
  EXPECT_EQ(found(alice_.id, "grüße"), Ids{m.id});
  EXPECT_EQ(found(alice_.id, "Münch"), Ids{m.id});
}

}  // namespace
}  // namespace parley::store::testing
