#include "domain/message_search.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "domain/validation.hpp"

namespace parley::domain {

bool is_search_word_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x80 || std::isalnum(byte);
}

Result<SearchQuery> parse_search_query(std::string_view text) {
  if (text.size() > limits::kSearchQueryMaxBytes)
    return fail(ErrorCode::invalid_payload,
                "query must be at most " + std::to_string(limits::kSearchQueryMaxBytes) + " bytes");
  if (!is_valid_utf8(text)) return fail(ErrorCode::invalid_payload, "query must be UTF-8");
  if (std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return fail(ErrorCode::invalid_payload, "query must not be empty");
  SearchQuery query;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_search_word_byte(text[i])) {
      ++i;
      continue;
    }
    std::string word;
    for (; i < text.size() && is_search_word_byte(text[i]); ++i)
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    if (std::find(query.words.begin(), query.words.end(), word) == query.words.end())
      query.words.push_back(std::move(word));
  }
  if (query.words.size() > limits::kSearchWordsMax)
    return fail(ErrorCode::invalid_payload,
                "query must have at most " + std::to_string(limits::kSearchWordsMax) + " words");
  return query;
}

Result<SearchPage> search_page(std::optional<long long> limit, const std::optional<std::string>& cursor) {
  SearchPage page;
  if (limit) {
    if (*limit < 1 || *limit > limits::kSearchPageMax)
      return fail(ErrorCode::invalid_payload,
                  "limit must be between 1 and " + std::to_string(limits::kSearchPageMax));
    page.limit = static_cast<int>(*limit);
  }
  if (cursor) {
    const std::string& c = *cursor;
    auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), page.offset);
    if (c.empty() || ec != std::errc{} || end != c.data() + c.size() || page.offset < 0 ||
        page.offset >= limits::kSearchDepthMax)
      return fail(ErrorCode::invalid_payload, "cursor must be a next_cursor this search returned");
  }
  // The last page stops at the depth limit.
  page.limit = std::min(page.limit, limits::kSearchDepthMax - page.offset);
  return page;
}

std::optional<std::string> next_search_cursor(const SearchPage& page, std::size_t returned, bool more) {
  if (!more) return std::nullopt;
  const long long next = static_cast<long long>(page.offset) + static_cast<long long>(returned);
  if (next >= limits::kSearchDepthMax) return std::nullopt;
  return std::to_string(next);
}

}  // namespace parley::domain
