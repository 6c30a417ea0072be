#pragma once
// The snippet a search result shows: the part of the message around its first hit, as plain
// text, with the words that matched given as ranges beside it rather than as markers inside it,
// so that no text a sender wrote can pass for a highlight and a client escapes nothing.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <parley/types.hpp>

#include "domain/message_search.hpp"

namespace parley::domain {

namespace limits {
// Long enough for a line of context either side of a hit, short enough for a list of results.
inline constexpr std::size_t kSnippetMaxBytes = 200;
inline constexpr std::size_t kSnippetContextBytes = 60;  // kept before the first hit
}  // namespace limits

// One highlighted word: `start` and `length` in Unicode code points of the snippet's text. The
// SDK's type, so that one codec (protocol/search_json.hpp) writes it for both sides.
using Highlight = parley::SearchHighlight;

struct Snippet {
  std::string text;  // a cut at either end is marked with "…" (U+2026)
  std::vector<Highlight> highlights;  // in order, never overlapping
};

// The snippet of `text` for `query`: a word is highlighted when it starts with one of the
// query's words, compared with ASCII letters case-folded.
[[nodiscard]] Snippet search_snippet(std::string_view text, const SearchQuery& query);

// Whether `text` holds a word that search_snippet would highlight.
[[nodiscard]] bool has_search_hit(std::string_view text, const SearchQuery& query);

}  // namespace parley::domain
