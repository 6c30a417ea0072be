#pragma once
// Full-text search over messages (docs/protocol.md, "messages.search"): what a query may be, how
// it becomes words, and how far a search pages. The store turns the words into its engine's
// query (store/search_sql.hpp); the snippet a result carries is cut here (search_snippet.hpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace parley::domain {

namespace limits {
// A query is a few words someone typed, not a document; more words only make the search slower.
inline constexpr std::size_t kSearchQueryMaxBytes = 256;
inline constexpr std::size_t kSearchWordsMax = 16;
inline constexpr int kSearchPageDefault = 20;
inline constexpr int kSearchPageMax = 50;
// How deep paging goes: results past the first kSearchDepthMax are never returned. Each page
// costs the engine every result before it, and nobody reads a thousand search results.
inline constexpr int kSearchDepthMax = 1000;
}  // namespace limits

// The words of a query, each matched as the start of a word in a message, all of them required.
// A word is a run of ASCII letters and digits and of non-ASCII characters; everything else
// separates words. So no character a user types is ever query syntax to an engine: `"`, `*`,
// `NEAR(`, `-`, `:` are separators or plain letters.
struct SearchQuery {
  std::vector<std::string> words;  // ASCII lowercased, in the order typed, repeats dropped
};

// invalid_payload when the text is empty or blank, longer than kSearchQueryMaxBytes, not UTF-8,
// or holds more than kSearchWordsMax words. A query of separators only has no words: it is
// valid and finds nothing.
[[nodiscard]] Result<SearchQuery> parse_search_query(std::string_view text);

// Whether `c` is part of a word (see SearchQuery).
[[nodiscard]] bool is_search_word_byte(char c);

// A page of a search: `offset` results skipped, `limit` returned. The cursor a client passes back
// is the offset as decimal digits; anything else is invalid_payload.
struct SearchPage {
  int offset = 0;
  int limit = limits::kSearchPageDefault;
};
[[nodiscard]] Result<SearchPage> search_page(std::optional<long long> limit, const std::optional<std::string>& cursor);
// The cursor of the page after `page` when it returned `returned` results and more may follow;
// nullopt at the end, or when the next page would lie past kSearchDepthMax.
[[nodiscard]] std::optional<std::string> next_search_cursor(const SearchPage& page, std::size_t returned,
                                                            bool more);

}  // namespace parley::domain
