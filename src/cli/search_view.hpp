#pragma once
// The results view of /search, drawn in place of the messages: each result's room, sender and
// time, then its snippet with the matched words in bold. Up/Down choose a result (its heading
// in reverse video), Enter opens its room, Escape goes back to the chat. Down past the last
// result fetches the next page, while the server has more.
#include <curses.h>

#include <string>
#include <utility>
#include <vector>

#include "cli/chat_commands.hpp"
#include "cli/search_lines.hpp"

namespace parley::cli {

class SearchView {
 public:
  explicit SearchView(Found found) : found_(std::move(found)) {}

  void select(int step);  // by `step` results, held at the ends
  // Down at the last result asks for the next page, when the server said there is one.
  [[nodiscard]] bool wants_more() const {
    return selected_ + 1 >= found_.results.results.size() && !found_.results.next_cursor.empty();
  }
  [[nodiscard]] const Found& found() const { return found_; }
  // The next page, after the results held; the selection moves to its first result.
  void append(SearchResults more);
  [[nodiscard]] const SearchResult& selected() const { return found_.results.results[selected_]; }
  // What the status line says while the view is open.
  [[nodiscard]] std::string status() const;
  // Fills `window`, keeping the chosen result in view.
  void draw(WINDOW* window, const RoomLabels& rooms, UserId me, const Names& names);

 private:
  Found found_;
  std::size_t selected_ = 0;
  int top_ = 0;  // the first line shown
};

// `text` at `row` of `window`, clipped to its width, with `marks` (byte ranges of `text`) drawn
// with `attributes` on top of `base`.
void draw_marked(WINDOW* window, int row, const std::string& text, const std::vector<std::pair<std::size_t, std::size_t>>& marks,
                 attr_t attributes, attr_t base = A_NORMAL);

}  // namespace parley::cli
