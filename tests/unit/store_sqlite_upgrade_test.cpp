// SQLite only: a database made by an older parleyd is upgraded in place, and keeps its rows.
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>

#include "sqlite/connection.hpp"
#include "sqlite/query.hpp"
#include "store/migration.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/scratch_dir.hpp"

namespace parley::store::testing {
namespace {

class SqliteUpgrade : public ::testing::Test {
 protected:

  std::unique_ptr<sqlite::Connection> connect() {
    auto db = sqlite::Connection::open({.path = path_});
    // Thrown, so that gtest fails the test there rather than it going on without a database.
    if (!db) throw std::runtime_error("cannot open " + path_ + ": " + db.error().message);
    return std::move(*db);
  }

  // The schema as the migrations up to and including `last` left it, recorded as applied.
  void build_schema_up_to(std::string_view last) {
    auto db = connect();
    ASSERT_TRUE(db->execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)"));
    for (const Migration& migration : sqlite_migrations()) {
      ASSERT_TRUE(db->execute(std::string(migration.sql).c_str())) << migration.name;
      auto record = db->prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?1, 0)");
      ASSERT_TRUE(record);
      record->bind_all(migration.name);
      ASSERT_TRUE(record->run());
      if (migration.name == last) return;
    }
    FAIL() << "no migration " << last;
  }

  // The older schema up to `last` holding `rows`, then upgraded as parleyd does when it starts:
  // a session on the result. Thrown on failure, so that gtest fails the test there.
  std::unique_ptr<StoreSession> upgraded_from(std::string_view last, const char* rows) {
    build_schema_up_to(last);
    if (auto inserted = connect()->execute(rows); !inserted)
      throw std::runtime_error("cannot insert the old rows: " + inserted.error().message);
    store_ = make_sqlite_store({.path = path_});
    if (auto migrated = store_->migrate(); !migrated) throw std::runtime_error("migrate: " + migrated.error().message);
    auto session = store_->open_session();
    if (!session) throw std::runtime_error("open_session: " + session.error().message);
    return std::move(*session);
  }

  parley::test::ScratchDir directory_;
  std::string path_ = directory_.sub("parley.db").string();
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteUpgrade, MessagesStoredBeforeTheTypeCheckWasRewrittenAreKeptAndTheCheckStillHolds) {
  auto session = upgraded_from(
      "002_uploads",
      "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (1, 'ann', 'Ann', 'h', 0);"
      "INSERT INTO rooms (id, kind, name, last_seq, created_by, created_at, last_activity_at)"
      "  VALUES (7, 'group', 'team', 2, 1, 0, 0);"
      "INSERT INTO members (room_id, user_id, role, joined_at) VALUES (7, 1, 'admin', 0);"
      "INSERT INTO messages (id, room_id, seq, sender_id, type, text, sys_event, created_at)"
      "  VALUES (40, 7, 1, 1, 'system', 'Ann created the group', 'room_created', 1);"
      "INSERT INTO messages (id, room_id, seq, sender_id, client_msg_id, type, text, created_at)"
      "  VALUES (41, 7, 2, 1, 'c-1', 'text', 'hello', 2);");
  auto kept = session->list_messages_before(RoomId(7), 0, 10);
  ASSERT_TRUE(kept) << kept.error().message;
  ASSERT_EQ(kept->size(), 2U);
  EXPECT_EQ((*kept)[0].id, MessageId(40));
  EXPECT_EQ((*kept)[0].type, domain::MessageType::system);
  EXPECT_EQ((*kept)[1].id, MessageId(41));
  EXPECT_EQ((*kept)[1].text, "hello");
  // The unique client id index was made again: the same send is still refused.
  auto original = session->find_message_by_client_id(UserId(1), "c-1");
  ASSERT_TRUE(original && *original);
  EXPECT_EQ((*original)->seq, 2);

  auto db = connect();
  // Every type the domain knows is allowed, and nothing else.
  std::int64_t seq = 100;
  for (const char* type : {"text", "image", "file", "audio", "video", "system"}) {
    auto insert = db->prepare(
        "INSERT INTO messages (room_id, seq, sender_id, type, created_at) VALUES (7, ?1, 1, ?2, 3)");
    ASSERT_TRUE(insert);
    insert->bind_all(++seq, std::string_view(type));
    EXPECT_TRUE(insert->run()) << type;
  }
  auto bogus = db->execute("INSERT INTO messages (room_id, seq, sender_id, type, created_at) VALUES (7, 200, 1, 'poll', 3)");
  ASSERT_FALSE(bogus);
  EXPECT_NE(bogus.error().message.find("CHECK constraint failed"), std::string::npos) << bogus.error().message;

  auto violations = db->prepare("SELECT COUNT(*) FROM pragma_foreign_key_check");
  ASSERT_TRUE(violations);
  EXPECT_EQ(*sqlite::fetch_int64(*violations), 0);
}

TEST_F(SqliteUpgrade, ReadsMadeBeforeReadReceiptsCouldBePrivateStayShared) {
  auto session = upgraded_from(
      "004_revoked_logins",
      "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (1, 'ann', 'Ann', 'h', 0);"
      "INSERT INTO rooms (id, kind, name, last_seq, created_by, created_at, last_activity_at)"
      "  VALUES (7, 'group', 'team', 5, 1, 0, 0);"
      "INSERT INTO members (room_id, user_id, role, joined_at, delivered_seq, read_seq)"
      "  VALUES (7, 1, 'admin', 0, 5, 4);");
  auto member = session->find_member(RoomId(7), UserId(1));
  ASSERT_TRUE(member && *member);
  EXPECT_EQ((*member)->read_seq, 4);
  EXPECT_EQ((*member)->shared_read_seq, 4);
  auto settings = session->find_user_settings(UserId(1));
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->read_receipts, domain::ReadReceipts::everyone);
}

TEST_F(SqliteUpgrade, UnreadCountsOfMessagesStoredBeforeTheyWereKeptAsRanksAreUnchanged) {
  // Room 7: ann's text (1), a system message (2), bob's two texts (3, 4), ann's text (5), bob's
  // (6). Ann read to 2, bob to 4. Room 8: bob's one text, nobody read it.
  auto session = upgraded_from(
      "009_push",
      "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (1, 'ann', 'Ann', 'h', 0);"
      "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (2, 'bob', 'Bob', 'h', 0);"
      "INSERT INTO rooms (id, kind, name, last_seq, created_by, created_at, last_activity_at)"
      "  VALUES (7, 'group', 'team', 6, 1, 0, 0), (8, 'group', 'other', 1, 2, 0, 0);"
      "INSERT INTO members (room_id, user_id, role, joined_at, delivered_seq, read_seq)"
      "  VALUES (7, 1, 'admin', 0, 2, 2), (7, 2, 'member', 0, 4, 4), (8, 1, 'member', 0, 0, 0),"
      "         (8, 2, 'admin', 0, 1, 0);"
      "INSERT INTO messages (room_id, seq, sender_id, client_msg_id, type, text, sys_event, created_at) VALUES"
      "  (7, 1, 1, 'a1', 'text', 'one', NULL, 1), (7, 2, 1, NULL, 'system', '', 'room_renamed', 2),"
      "  (7, 3, 2, 'b1', 'text', 'three', NULL, 3), (7, 4, 2, 'b2', 'text', 'four', NULL, 4),"
      "  (7, 5, 1, 'a2', 'text', 'five', NULL, 5), (7, 6, 2, 'b3', 'text', 'six', NULL, 6),"
      "  (8, 1, 2, 'b4', 'text', 'other', NULL, 7);");
  auto unread = [&](std::int64_t room, std::int64_t user) {
    auto summary = session->find_room_summary(RoomId(room), UserId(user));
    if (!summary || !*summary) throw std::runtime_error("no summary");
    return (*summary)->unread_count;
  };
  EXPECT_EQ(unread(7, 1), 3);  // 3, 4, 6
  EXPECT_EQ(unread(7, 2), 1);  // 5
  EXPECT_EQ(unread(8, 1), 1);
  EXPECT_EQ(unread(8, 2), 0);  // bob's own
  // And they stay exact as the watermarks move over the migrated rows.
  ASSERT_TRUE(session->begin_write());
  ASSERT_TRUE(session->advance_watermarks(RoomId(7), UserId(2), 6, 6));
  ASSERT_TRUE(session->advance_watermarks(RoomId(7), UserId(1), 4, 4));
  ASSERT_TRUE(session->commit());
  EXPECT_EQ(unread(7, 2), 0);
  EXPECT_EQ(unread(7, 1), 1);  // 6
}

TEST_F(SqliteUpgrade, StoringAMessageBuildsNoTemporaryTable) {
  auto store = make_sqlite_store({.path = path_});
  ASSERT_TRUE(store->migrate());
  auto db = connect();
  // An IN list of more than two values in a CHECK is evaluated through a temporary b-tree built
  // on every insert; the messages table's checks must not need one.
  auto program = db->prepare(
      "EXPLAIN INSERT INTO messages (room_id, seq, sender_id, type, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  ASSERT_TRUE(program) << program.error().message;
  int steps = 0, ephemeral = 0;
  while (true) {
    auto row = program->step();
    ASSERT_TRUE(row) << row.error().message;
    if (!*row) break;
    ++steps;
    if (program->text(1) == "OpenEphemeral") ++ephemeral;
  }
  EXPECT_GT(steps, 0);
  EXPECT_EQ(ephemeral, 0);
}

}  // namespace
}  // namespace parley::store::testing
