// The chat's input line, without a terminal: what Enter sends after a sequence of keys.
#include <gtest/gtest.h>

#include "cli/line_editor.hpp"

namespace parley::cli {
namespace {

TEST(LineEditor, BackspaceAfterAnAccentRemovesTheWholeCharacter) {
  LineEditor e;
  e.insert("caf\u00e9");
  e.backspace();
  e.insert("x");
  EXPECT_EQ(e.submit(), "cafx");  // valid UTF-8: no half of the é is left behind
}

TEST(LineEditor, CombiningMarksGoWithTheirLetter) {
  LineEditor e;
  e.insert("ne\u0301");  // e + combining acute
  e.left();
  EXPECT_EQ(e.cursor(), 1u);
  e.end();
  e.backspace();
  EXPECT_EQ(e.text(), "n");
}

TEST(LineEditor, WideCharactersTakeTwoColumns) {
  LineEditor e;
  e.insert("\u65e5\u672c\u8a9e");  // 日本語
  EXPECT_EQ(e.view(80).cursor_column, 6);
  e.left();
  EXPECT_EQ(e.view(80).cursor_column, 4);
  e.backspace();
  EXPECT_EQ(e.text(), "\u65e5\u8a9e");
}

TEST(LineEditor, CursorMovementAndDelete) {
  LineEditor e;
  e.insert("world");
  e.home();
  e.insert("hello ");
  e.end();
  e.insert("!");
  EXPECT_EQ(e.text(), "hello world!");
  e.home();
  e.delete_forward();
  EXPECT_EQ(e.text(), "ello world!");
  e.word_right();
  EXPECT_EQ(e.cursor(), 4u);
  e.word_right();
  e.word_left();
  EXPECT_EQ(e.cursor(), 5u);
  e.kill_to_end();
  EXPECT_EQ(e.text(), "ello ");
}

TEST(LineEditor, CtrlWRemovesTheWordBeforeTheCursorAndCtrlUTheLineBefore) {
  LineEditor e;
  e.insert("one two  three");
  e.kill_word_before();
  EXPECT_EQ(e.text(), "one two  ");
  e.kill_word_before();
  EXPECT_EQ(e.text(), "one ");
  e.insert("four");
  e.left();
  e.left();
  e.kill_to_start();
  EXPECT_EQ(e.text(), "ur");
  EXPECT_EQ(e.cursor(), 0u);
}

TEST(LineEditor, HistoryBrowsesSentLinesAndComesBackToTheDraft) {
  LineEditor e;
  e.insert("first");
  (void)e.submit();
  e.insert("second");
  (void)e.submit();
  e.insert("   ");
  (void)e.submit();  // blank lines are not remembered
  e.insert("draft");
  e.history_previous();
  EXPECT_EQ(e.text(), "second");
  e.history_previous();
  EXPECT_EQ(e.text(), "first");
  e.history_previous();
  EXPECT_EQ(e.text(), "first");
  e.history_next();
  e.history_next();
  EXPECT_EQ(e.text(), "draft");
  e.history_previous();
  EXPECT_EQ(e.submit(), "second");
}

TEST(LineEditor, ALongLineScrollsSidewaysToKeepTheCursorVisible) {
  LineEditor e;
  e.insert(std::string(30, 'a') + "END");
  auto v = e.view(10);
  EXPECT_EQ(v.visible, "aaaaaaEND");
  EXPECT_EQ(v.cursor_column, 9);
  e.home();
  v = e.view(10);
  EXPECT_EQ(v.visible, "aaaaaaaaaa");
  EXPECT_EQ(v.cursor_column, 0);
}

}  // namespace
}  // namespace parley::cli
