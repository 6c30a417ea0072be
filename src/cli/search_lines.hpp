#pragma once
// Search results as the results view shows them: for each, a heading line "room · sender ·
// day time · #seq", then its snippet wrapped under it with the words the server matched marked.
// Pure: no terminal, no client; search_view.cpp draws these lines.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <parley/types.hpp>

#include "cli/message_text.hpp"

namespace parley::cli {

struct SearchLine {
  std::string text;  // safe to print
  std::size_t result = 0;  // which result the line belongs to
  bool heading = false;
  // Byte ranges [begin, end) of `text` to emphasise: the matched words.
  std::vector<std::pair<std::size_t, std::size_t>> marks;
};

// Room names by id, as the room list shows them.
using RoomLabels = std::unordered_map<RoomId, std::string>;

[[nodiscard]] std::vector<SearchLine> search_lines(const std::vector<SearchResult>& results, const RoomLabels& rooms,
                                                   UserId me, const Names& names, int width);

}  // namespace parley::cli
