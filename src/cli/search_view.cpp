#include "cli/search_view.hpp"

#include <algorithm>

#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"

namespace parley::cli {

void draw_marked(WINDOW* window, int row, const std::string& text, const std::vector<std::pair<std::size_t, std::size_t>>& marks,
                 attr_t attributes, attr_t base) {
  const std::string clipped = clip_to_width(text, getmaxx(window));
  wmove(window, row, 0);
  std::size_t at = 0;
  auto put = [&](std::size_t end, attr_t a) {
    end = std::min(end, clipped.size());
    if (end <= at) return;
    wattrset(window, a);
    waddnstr(window, clipped.c_str() + at, static_cast<int>(end - at));
    at = end;
  };
  for (const auto& [begin, end] : marks) {
    put(begin, base);
    put(end, base | attributes);
  }
  put(clipped.size(), base);
  wattrset(window, A_NORMAL);
}

void SearchView::select(int step) {
  const auto last = static_cast<long>(found_.results.results.size()) - 1;
  selected_ = static_cast<std::size_t>(std::clamp(static_cast<long>(selected_) + step, 0L, std::max(0L, last)));
}

void SearchView::append(SearchResults more) {
  const std::size_t first_new = found_.results.results.size();
  for (auto& r : more.results) found_.results.results.push_back(std::move(r));
  found_.results.next_cursor = std::move(more.next_cursor);
  if (found_.results.results.size() > first_new) selected_ = first_new;
}

std::string SearchView::status() const {
  const std::size_t n = found_.results.results.size();
  const bool more = !found_.results.next_cursor.empty();
  return std::to_string(n) + (n == 1 ? " result" : " results") + (more ? " so far" : "") + " for \"" +
         shown(found_.query) + "\"" + (found_.this_room ? " in this room" : "") + ": Up/Down choose" +
         (more ? " (Down at the end: more)" : "") + ", Enter opens, Esc goes back";
}

void SearchView::draw(WINDOW* window, const RoomLabels& rooms, UserId me, const Names& names) {
  werase(window);
  const int height = getmaxy(window);
  const auto lines = search_lines(found_.results.results, rooms, me, names, getmaxx(window));
  // The chosen result's lines, all of them when they fit.
  int first = -1, last = -1;
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    if (lines[static_cast<std::size_t>(i)].result != selected_) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first >= 0) {
    if (last >= top_ + height) top_ = last - height + 1;
    if (first < top_) top_ = first;
  }
  for (int row = 0; row < height && top_ + row < static_cast<int>(lines.size()); ++row) {
    const SearchLine& line = lines[static_cast<std::size_t>(top_ + row)];
    const attr_t base = line.heading ? (line.result == selected_ ? A_REVERSE : A_DIM) : A_NORMAL;
    draw_marked(window, row, line.text, line.marks, A_BOLD | A_UNDERLINE, base);
  }
  wnoutrefresh(window);
}

}  // namespace parley::cli
