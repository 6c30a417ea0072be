// Client::search: typed results from the server's messages.search, one room or all, paged by
// the cursor the server returns, an edit found by its new words with its time, and the server's
// refusal of an empty query as the call's error.
#include <set>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

TEST(SdkSearch, FindsTheUsersMessagesWithSnippetsAndPages) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  auto bob = online_client(server, dirs.sub("bob"), "bob");
  const UserId bob_id = bob->me()->id;
  Room first = must(alice->create_group("first", {bob_id}), "create group");
  Room second = must(alice->create_group("second", {bob_id}), "create group");
  must(alice->send_text(first.id, "Quarterly report attached"), "send");
  for (int i = 0; i < 3; ++i) must(alice->send_text(second.id, "report " + std::to_string(i)), "send");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));

  auto one_room = must(bob->search("quarter", {.room = first.id}), "search one room");
  ASSERT_EQ(one_room.results.size(), 1u);
  const auto& hit = one_room.results[0];
  EXPECT_EQ(hit.room_id, first.id);
  EXPECT_EQ(hit.sender_id, alice->me()->id);
  EXPECT_EQ(hit.type, "text");
  EXPECT_EQ(hit.snippet, "Quarterly report attached");
  ASSERT_EQ(hit.highlights.size(), 1u);
  EXPECT_EQ(hit.highlights[0].start, 0u);
  EXPECT_EQ(hit.highlights[0].length, 9u);
  EXPECT_TRUE(one_room.next_cursor.empty());
  EXPECT_FALSE(hit.edited_at);

  // An edit is found by its new words, and says when it was made.
  must(alice->edit(first.id, hit.seq, "Quarterly figures attached"), "edit");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  auto edited = must(bob->search("figures", {.room = first.id}), "search the edit");
  ASSERT_EQ(edited.results.size(), 1u);
  EXPECT_EQ(edited.results[0].seq, hit.seq);
  EXPECT_EQ(edited.results[0].snippet, "Quarterly figures attached");
  ASSERT_TRUE(edited.results[0].edited_at);
  EXPECT_GE(*edited.results[0].edited_at, hit.created_at);

  std::set<std::pair<std::int64_t, Seq>> seen;
  SearchOptions options{.limit = 3};
  for (int page = 0; page < 2; ++page) {
    auto found = must(bob->search("report", options), "search a page");
    for (const auto& r : found.results) EXPECT_TRUE(seen.insert({r.room_id.value, r.seq}).second) << "repeated";
    options.cursor = found.next_cursor;
    if (options.cursor.empty()) break;
  }
  EXPECT_EQ(seen.size(), 3u);  // the first room's report is now its figures

  auto refused = bob->search("   ");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_payload);
}

}  // namespace
}  // namespace parley::sdk_test
