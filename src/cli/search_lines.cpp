#include "cli/search_lines.hpp"

#include <algorithm>

#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"
#include "cli/utf8.hpp"

namespace parley::cli {
namespace {

// Snippet lines sit under the heading, this far in.
constexpr int kIndent = 4;

struct Cell {
  char32_t code;
  bool marked;
};

// The snippet as characters made safe to print, each knowing whether a highlight covers it. The
// highlights count code points of the snippet as the server sent it, so each piece between
// them goes through shown() on its own.
std::vector<Cell> cells_of(const SearchResult& r) {
  const std::u32string raw = to_code_points(r.snippet);
  std::vector<bool> marked(raw.size(), false);
  for (const auto& h : r.highlights)
    for (std::size_t i = h.start; i < std::min(raw.size(), h.start + h.length); ++i) marked[i] = true;
  std::vector<Cell> cells;
  for (std::size_t start = 0; start < raw.size();) {
    std::size_t end = start;
    while (end < raw.size() && marked[end] == marked[start]) ++end;
    for (char32_t c : to_code_points(shown(to_utf8(std::u32string_view(raw).substr(start, end - start)))))
      cells.push_back({c == U'\n' ? U' ' : c, marked[start]});
    start = end;
  }
  return cells;
}

// Greedy word wrap of `cells` to `width` columns, breaking at spaces (a word longer than a line
// is cut); each line then as text with the byte ranges of its marked characters.
std::vector<SearchLine> wrapped(const std::vector<Cell>& cells, int width, std::size_t result) {
  width = std::max(width, 2);
  std::vector<std::vector<Cell>> rows(1);
  int used = 0;
  std::size_t i = 0;
  while (i < cells.size()) {
    if (cells[i].code == U' ') {
      ++i;
      continue;
    }
    std::size_t end = i;
    int word = 0;
    while (end < cells.size() && cells[end].code != U' ') word += char_width(cells[end++].code);
    const int space = rows.back().empty() ? 0 : 1;
    if (used + space + word > width && !rows.back().empty()) {
      rows.emplace_back();
      used = 0;
    } else if (space) {
      rows.back().push_back({U' ', false});
      used += 1;
    }
    for (; i < end; ++i) {
      const int w = char_width(cells[i].code);
      if (used + w > width) {
        rows.emplace_back();
        used = 0;
      }
      rows.back().push_back(cells[i]);
      used += w;
    }
  }
  std::vector<SearchLine> lines;
  for (const auto& row : rows) {
    SearchLine line{.text = std::string(kIndent, ' '), .result = result};
    for (const auto& cell : row) {
      const std::size_t before = line.text.size();
      append_utf8(line.text, cell.code);
      if (!cell.marked) continue;
      if (!line.marks.empty() && line.marks.back().second == before) line.marks.back().second = line.text.size();
      else line.marks.emplace_back(before, line.text.size());
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::vector<SearchLine> search_lines(const std::vector<SearchResult>& results, const RoomLabels& rooms, UserId me,
                                     const Names& names, int width) {
  std::vector<SearchLine> lines;
  for (std::size_t n = 0; n < results.size(); ++n) {
    const SearchResult& r = results[n];
    auto room = rooms.find(r.room_id);
    const std::string room_name = room != rooms.end() ? room->second : "room " + std::to_string(r.room_id.value);
    const std::string heading = room_name + " · " + sender_name(r.sender_id, me, names) + " · " +
                                local_time_text(r.created_at, "%a %Y-%m-%d %H:%M") + " · #" + std::to_string(r.seq);
    lines.push_back({.text = clip_to_width(heading, width), .result = n, .heading = true});
    for (auto& line : wrapped(cells_of(r), width - kIndent, n)) lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace parley::cli
