// The /search results view's lines, without a terminal: headings, wrapped snippets, and the
// matched words the server marked, by code points, as byte ranges of what is shown.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/search_lines.hpp"

namespace parley::cli {
namespace {

constexpr TimestampMs kMonday0905 = 1796634300000;  // 2026-12-07 09:05 UTC

std::vector<std::string> marked_words(const SearchLine& line) {
  std::vector<std::string> out;
  for (const auto& [begin, end] : line.marks) out.push_back(line.text.substr(begin, end - begin));
  return out;
}

class SearchLines : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC0", 1);
    tzset();
  }
  const Names names_{{UserId{2}, "bob"}};
  const RoomLabels rooms_{{RoomId{3}, "team"}};
};

TEST_F(SearchLines, AHeadingThenTheSnippetWithItsMatchedWords) {
  SearchResult r{.room_id = RoomId{3}, .seq = 41, .sender_id = UserId{2}, .type = "text", .created_at = kMonday0905,
                 .snippet = "…see the Quarterly report before Friday", .highlights = {{9, 9}, {19, 6}}};
  const auto lines = search_lines({r}, rooms_, UserId{1}, names_, 80);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].heading);
  EXPECT_EQ(lines[0].text, "team · bob · Mon 2026-12-07 09:05 · #41");
  EXPECT_EQ(lines[1].text, "    …see the Quarterly report before Friday");
  EXPECT_EQ(marked_words(lines[1]), (std::vector<std::string>{"Quarterly", "report"}));
}

TEST_F(SearchLines, ALongSnippetWrapsAndEachLineKeepsItsMarks) {
  SearchResult r{.room_id = RoomId{9}, .seq = 2, .sender_id = UserId{1}, .created_at = kMonday0905,
                 .snippet = "één twee drie vier vijf zes", .highlights = {{0, 3}, {19, 4}}};
  const auto lines = search_lines({r, r}, rooms_, UserId{1}, names_, 18);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0].text, "room 9 · me · Mon ");
  EXPECT_EQ(lines[1].text, "    één twee drie");
  EXPECT_EQ(lines[2].text, "    vier vijf zes");
  EXPECT_EQ(marked_words(lines[1]), (std::vector<std::string>{"één"}));
  EXPECT_EQ(marked_words(lines[2]), (std::vector<std::string>{"vijf"}));
  EXPECT_EQ(lines[5].result, 1u);
}

TEST_F(SearchLines, ControlCharactersInASnippetAreShownNotObeyed) {
  SearchResult r{.room_id = RoomId{3}, .seq = 1, .sender_id = UserId{2}, .snippet = "a \x1b[2J b", .highlights = {{2, 4}}};
  const auto lines = search_lines({r}, rooms_, UserId{1}, names_, 80);
  EXPECT_EQ(lines[1].text, "    a ^[[2J b");
  EXPECT_EQ(marked_words(lines[1]), (std::vector<std::string>{"^[[2J"}));
}

}  // namespace
}  // namespace parley::cli
