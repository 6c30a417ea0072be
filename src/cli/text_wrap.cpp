#include "cli/text_wrap.hpp"

#include <algorithm>

#include "cli/utf8.hpp"

namespace parley::cli {

std::vector<std::string> wrap_words(std::string_view text, int width) {
  width = std::max(width, 2);  // room for one wide character
  const std::u32string chars = to_code_points(text);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < chars.size()) {
    // Take characters while they fit, remembering the last space seen.
    int used = 0;
    std::size_t end = start;
    std::size_t last_space = std::u32string::npos;
    while (end < chars.size()) {
      const int w = char_width(chars[end]);
      if (used + w > width) break;
      if (chars[end] == U' ') last_space = end;
      used += w;
      ++end;
    }
    std::size_t next = end;
    bool broke_at_space = false;
    if (end < chars.size()) {
      if (chars[end] == U' ') {
        broke_at_space = true;  // the break falls exactly on a space
      } else if (last_space != std::u32string::npos && last_space > start) {
        end = next = last_space;
        broke_at_space = true;
      }
      // else: one word longer than the line, cut where the line is full.
    }
    while (end > start && chars[end - 1] == U' ') --end;
    lines.push_back(to_utf8(std::u32string_view(chars).substr(start, end - start)));
    start = next;
    if (broke_at_space)
      while (start < chars.size() && chars[start] == U' ') ++start;
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

std::vector<std::string> wrap_with_prefix(std::string_view prefix, std::string_view text, int width) {
  const int prefix_width = display_width(prefix);
  std::vector<std::string> lines;
  if (prefix_width * 2 > width) {
    // Too wide to indent under: the prefix on a line of its own, the text below, slightly in.
    constexpr int kIndent = 2;
    lines.push_back(clip_to_width(prefix, width));
    for (auto& line : wrap_words(text, width - kIndent)) lines.push_back(std::string(kIndent, ' ') + line);
    return lines;
  }
  const std::vector<std::string> first = wrap_words(text, width - prefix_width);
  lines.push_back(std::string(prefix) + first.front());
  if (first.size() > 1) {
    // The rest, wrapped again: the continuation lines have the same width as the first.
    std::string_view remaining = text.substr(std::min(text.size(), first.front().size()));
    while (!remaining.empty() && remaining.front() == ' ') remaining.remove_prefix(1);
    const std::string indent(static_cast<std::size_t>(prefix_width), ' ');
    for (auto& line : wrap_words(remaining, width - prefix_width)) lines.push_back(indent + line);
  }
  return lines;
}

std::string clip_to_width(std::string_view text, int width) {
  std::string out;
  int used = 0;
  for (char32_t c : to_code_points(text)) {
    const int w = char_width(c);
    if (used + w > width) break;
    append_utf8(out, c);
    used += w;
  }
  return out;
}

}  // namespace parley::cli
