// Search queries as words, search pages and cursors, and the snippet a result shows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/message_search.hpp"
#include "domain/search_snippet.hpp"

namespace parley::domain {
namespace {

using Words = std::vector<std::string>;

Words words_of(std::string_view text) {
  auto query = parse_search_query(text);
  EXPECT_TRUE(query) << text;
  return query ? query->words : Words{};
}

TEST(SearchQuery, TakesRunsOfLettersAndDigitsAsWordsAndEverythingElseAsSpace) {
  EXPECT_EQ(words_of("Hello, World"), (Words{"hello", "world"}));
  EXPECT_EQ(words_of("\"NEAR(a* -b:c\""), (Words{"near", "a", "b", "c"}));
  EXPECT_EQ(words_of("don't"), (Words{"don", "t"}));
  EXPECT_EQ(words_of("Grüße 東京"), (Words{"grüße", "東京"}));
  EXPECT_EQ(words_of("again Again AGAIN"), (Words{"again"}));
  EXPECT_TRUE(words_of("\"*:-(").empty());
}

TEST(SearchQuery, RefusesEmptyOversizedAndNotUtf8) {
  std::string many_words;
  for (std::size_t i = 0; i <= limits::kSearchWordsMax; ++i) many_words += "w" + std::to_string(i) + " ";
  for (const std::string& bad : {std::string(), std::string("  \t\n"),
                                 std::string(limits::kSearchQueryMaxBytes + 1, 'a'), std::string("caf\xC3"),
                                 many_words}) {
    auto query = parse_search_query(bad);
    ASSERT_FALSE(query) << bad;
    EXPECT_EQ(query.error().code, ErrorCode::invalid_payload);
  }
}

TEST(SearchPage, ReadsLimitAndCursorAndStopsAtTheDepthLimit) {
  auto first = search_page(std::nullopt, std::nullopt);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->offset, 0);
  EXPECT_EQ(first->limit, limits::kSearchPageDefault);
  EXPECT_EQ(next_search_cursor(*first, 20, true), "20");
  EXPECT_EQ(next_search_cursor(*first, 20, false), std::nullopt);

  auto later = search_page(50, "980");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->limit, 20);
  EXPECT_EQ(next_search_cursor(*later, 20, true), std::nullopt);

  for (auto cursor : {"", "-1", "x", "12x", "1000"}) EXPECT_FALSE(search_page(std::nullopt, cursor)) << cursor;
  EXPECT_FALSE(search_page(0, std::nullopt));
  EXPECT_FALSE(search_page(limits::kSearchPageMax + 1, std::nullopt));
}

TEST(SearchSnippet, HighlightsWordsThatStartWithAQueryWordInCodePoints) {
  auto query = *parse_search_query("rep quart");
  auto s = search_snippet("Müller: Quarterly report, reply", query);
  EXPECT_EQ(s.text, "Müller: Quarterly report, reply");
  ASSERT_EQ(s.highlights.size(), 3u);
  EXPECT_EQ(s.highlights[0].start, 8u);  // "Müller: " is 8 code points, 9 bytes
  EXPECT_EQ(s.highlights[0].length, 9u);
  EXPECT_EQ(s.highlights[1].start, 18u);
  EXPECT_EQ(s.highlights[1].length, 6u);
  EXPECT_EQ(s.highlights[2].start, 26u);
  EXPECT_EQ(s.highlights[2].length, 5u);
}

TEST(SearchSnippet, CutsALongTextAroundTheFirstHitAtWholeWords) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "filler ";
  text += "needle";
  for (int i = 0; i < 40; ++i) text += " after";
  auto s = search_snippet(text, *parse_search_query("needle"));
  ASSERT_EQ(s.highlights.size(), 1u);
  EXPECT_TRUE(s.text.starts_with("\xE2\x80\xA6" "filler"));
  EXPECT_TRUE(s.text.ends_with("after\xE2\x80\xA6"));
  EXPECT_LE(s.text.size(), limits::kSnippetMaxBytes + 6);
  // The highlight points at the needle, counted in code points: the ellipsis is one.
  std::u32string points;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.text.size(); ++i)
    if ((static_cast<unsigned char>(s.text[i]) & 0xC0) != 0x80) {
      if (points.size() == s.highlights[0].start) start = i;
      points += U'x';
    }
  EXPECT_EQ(s.text.substr(start, 6), "needle");
  EXPECT_EQ(s.highlights[0].length, 6u);
}

}  // namespace
}  // namespace parley::domain
