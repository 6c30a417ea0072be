#pragma once
// The chat's input line: text as code points, a cursor, editing keys and input history. Pure:
// the screen feeds it keys and draws what view() returns, so it is tested without a terminal.
//
// The cursor moves by character, where a character is a code point with the combining marks
// that follow it ("e" + U+0301 is one step), so Backspace never leaves half of an "é".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley::cli {

class LineEditor {
 public:
  void insert(std::string_view utf8);
  void insert(char32_t code);

  void left();
  void right();
  void word_left();   // Alt-b: to the start of this or the previous word
  void word_right();  // Alt-f: to the end of this or the next word
  void home();
  void end();

  void backspace();          // the character before the cursor
  void delete_forward();     // the character under the cursor
  void kill_to_start();      // Ctrl-U
  void kill_word_before();   // Ctrl-W: the word before the cursor and the spaces after it
  void kill_to_end();        // Ctrl-K

  // Up/Down: older and newer lines sent before; past the newest, back to what was being typed.
  void history_previous();
  void history_next();

  // Enter: the line as typed (UTF-8), remembered in the history when not blank; the editor empties.
  [[nodiscard]] std::string submit();

  [[nodiscard]] std::string text() const;
  [[nodiscard]] bool empty() const { return text_.empty(); }
  [[nodiscard]] std::size_t cursor() const { return cursor_; }  // in code points

  // What fits in `width` columns, scrolled sideways so that the cursor is visible; `cursor_column`
  // is where the cursor goes in it.
  struct View {
    std::string visible;
    int cursor_column = 0;
  };
  [[nodiscard]] View view(int width) const;

 private:
  void replace_text(std::u32string text);

  std::u32string text_;
  std::size_t cursor_ = 0;
  std::vector<std::u32string> history_;
  std::size_t history_at_ = 0;  // == history_.size(): not browsing the history
  std::u32string draft_;        // what was being typed before browsing the history
  mutable std::size_t first_shown_ = 0;  // the sideways scroll, kept steady between views
};

}  // namespace parley::cli
