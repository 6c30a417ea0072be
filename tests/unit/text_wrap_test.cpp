// Messages laid out in terminal columns: nothing cut off, continuation lines under the text.
#include <gtest/gtest.h>

#include "cli/text_wrap.hpp"
#include "cli/utf8.hpp"

namespace parley::cli {
namespace {

using Lines = std::vector<std::string>;

TEST(TextWrap, BreaksAtSpacesWithinTheWidth) {
  EXPECT_EQ(wrap_words("the quick brown fox", 10), (Lines{"the quick", "brown fox"}));
  EXPECT_EQ(wrap_words("short", 10), (Lines{"short"}));
  EXPECT_EQ(wrap_words("", 10), (Lines{""}));
  for (const auto& line : wrap_words("a bb ccc dddd eeeee ffffff", 7)) EXPECT_LE(display_width(line), 7);
}

TEST(TextWrap, AWordLongerThanTheLineIsBrokenInside) {
  EXPECT_EQ(wrap_words("abcdefghijkl xy", 5), (Lines{"abcde", "fghij", "kl xy"}));
}

TEST(TextWrap, WideCharactersCountTwoColumns) {
  EXPECT_EQ(display_width("\u65e5\u672c\u8a9e"), 6);
  EXPECT_EQ(display_width("e\u0301"), 1);
  // 5 columns hold two CJK characters, not three.
  EXPECT_EQ(wrap_words("\u65e5\u672c\u8a9e\u65e5", 5), (Lines{"\u65e5\u672c", "\u8a9e\u65e5"}));
  EXPECT_EQ(clip_to_width("a\u65e5b", 2), "a");
}

TEST(TextWrap, ContinuationLinesAreIndentedUnderTheText) {
  const Lines lines = wrap_with_prefix("12:00 bob: ", "one two three four five six", 22);
  EXPECT_EQ(lines, (Lines{"12:00 bob: one two", "           three four", "           five six"}));
  // A prefix too wide for the line is not indented under.
  EXPECT_EQ(wrap_with_prefix("a-very-long-name: ", "hello there", 20),
            (Lines{"a-very-long-name: ", "  hello there"}));
}

TEST(TextWrap, NothingIsLost) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "w" + std::to_string(i) + " ";
  text += "\u65e5\u672c\u8a9e-and-a-very-long-unbroken-word-at-the-end";
  std::string joined;
  for (const auto& line : wrap_with_prefix("> ", text, 17)) {
    EXPECT_LE(display_width(line), 17);
    joined += line;
  }
  std::string squeezed, expected;
  for (char c : joined) if (c != ' ') squeezed += c;
  for (char c : text) if (c != ' ') expected += c;
  EXPECT_EQ(squeezed, ">" + expected);
}

}  // namespace
}  // namespace parley::cli
