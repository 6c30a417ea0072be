#include "cli/line_editor.hpp"

#include <algorithm>

#include "cli/utf8.hpp"

namespace parley::cli {
namespace {

constexpr std::size_t kHistoryKept = 100;

bool is_combining(char32_t c) { return c > 0x7F && char_width(c) == 0; }
bool is_space(char32_t c) { return c == U' ' || c == U'\t'; }

// Where the character before `at` starts, with its combining marks.
std::size_t previous_boundary(const std::u32string& text, std::size_t at) {
  if (at == 0) return 0;
  std::size_t i = at - 1;
  while (i > 0 && is_combining(text[i])) --i;
  return i;
}

// Where the character at `at` ends, with its combining marks.
std::size_t next_boundary(const std::u32string& text, std::size_t at) {
  if (at >= text.size()) return text.size();
  std::size_t i = at + 1;
  while (i < text.size() && is_combining(text[i])) ++i;
  return i;
}

}  // namespace

void LineEditor::insert(std::string_view utf8) {
  for (char32_t c : to_code_points(utf8)) insert(c);
}

void LineEditor::insert(char32_t code) {
  text_.insert(text_.begin() + static_cast<std::ptrdiff_t>(cursor_), code);
  ++cursor_;
}

void LineEditor::left() { cursor_ = previous_boundary(text_, cursor_); }
void LineEditor::right() { cursor_ = next_boundary(text_, cursor_); }
void LineEditor::home() { cursor_ = 0; }
void LineEditor::end() { cursor_ = text_.size(); }

void LineEditor::word_left() {
  while (cursor_ > 0 && is_space(text_[cursor_ - 1])) --cursor_;
  while (cursor_ > 0 && !is_space(text_[cursor_ - 1])) --cursor_;
}

void LineEditor::word_right() {
  while (cursor_ < text_.size() && is_space(text_[cursor_])) ++cursor_;
  while (cursor_ < text_.size() && !is_space(text_[cursor_])) ++cursor_;
}

void LineEditor::backspace() {
  const std::size_t from = previous_boundary(text_, cursor_);
  text_.erase(from, cursor_ - from);
  cursor_ = from;
}

void LineEditor::delete_forward() { text_.erase(cursor_, next_boundary(text_, cursor_) - cursor_); }

void LineEditor::kill_to_start() {
  text_.erase(0, cursor_);
  cursor_ = 0;
}

void LineEditor::kill_word_before() {
  const std::size_t until = cursor_;
  word_left();
  text_.erase(cursor_, until - cursor_);
}

void LineEditor::kill_to_end() { text_.erase(cursor_); }

void LineEditor::history_previous() {
  if (history_at_ == 0) return;
  if (history_at_ == history_.size()) draft_ = text_;
  --history_at_;
  replace_text(history_[history_at_]);
}

void LineEditor::history_next() {
  if (history_at_ >= history_.size()) return;
  ++history_at_;
  replace_text(history_at_ == history_.size() ? draft_ : history_[history_at_]);
}

std::string LineEditor::submit() {
  std::string line = to_utf8(text_);
  const bool blank = std::all_of(text_.begin(), text_.end(), is_space);
  if (!blank && (history_.empty() || history_.back() != text_)) history_.push_back(text_);
  if (history_.size() > kHistoryKept) history_.erase(history_.begin());
  history_at_ = history_.size();
  draft_.clear();
  replace_text({});
  return line;
}

std::string LineEditor::text() const { return to_utf8(text_); }

void LineEditor::replace_text(std::u32string text) {
  text_ = std::move(text);
  cursor_ = text_.size();
  first_shown_ = 0;
}

LineEditor::View LineEditor::view(int width) const {
  if (width < 2) return {};
  // Keep the cursor inside the window, with a column to spare at the right edge for it to sit
  // after the last character; move the window only when the cursor leaves it.
  first_shown_ = std::min(first_shown_, cursor_);
  auto columns = [&](std::size_t from, std::size_t to) {
    return display_width(std::u32string_view(text_).substr(from, to - from));
  };
  while (columns(first_shown_, cursor_) > width - 1) first_shown_ = next_boundary(text_, first_shown_);
  View v;
  v.cursor_column = columns(first_shown_, cursor_);
  int used = 0;
  for (std::size_t i = first_shown_; i < text_.size(); ++i) {
    const int w = char_width(text_[i]);
    if (used + w > width) break;
    append_utf8(v.visible, text_[i]);
    used += w;
  }
  return v;
}

}  // namespace parley::cli
