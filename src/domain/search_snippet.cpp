#include "domain/search_snippet.hpp"

#include <algorithm>
#include <cctype>

namespace parley::domain {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one code point

struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;
};

std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_search_word_byte(text[i])) {
      ++i;
      continue;
    }
    Word w{i, i};
    while (w.end < text.size() && is_search_word_byte(text[w.end])) ++w.end;
    out.push_back(w);
    i = w.end;
  }
  return out;
}

bool starts_with_folded(std::string_view word, std::string_view prefix) {
  if (prefix.size() > word.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(word[i])) != static_cast<unsigned char>(prefix[i])) return false;
  return true;
}

bool is_hit(std::string_view text, const Word& w, const SearchQuery& query) {
  const auto word = text.substr(w.begin, w.end - w.begin);
  return std::any_of(query.words.begin(), query.words.end(),
                     [word](const std::string& q) { return starts_with_folded(word, q); });
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

}  // namespace

bool has_search_hit(std::string_view text, const SearchQuery& query) {
  auto words = words_of(text);
  return std::any_of(words.begin(), words.end(), [&](const Word& w) { return is_hit(text, w, query); });
}

Snippet search_snippet(std::string_view text, const SearchQuery& query) {
  const auto words = words_of(text);
  std::vector<Word> hits;
  for (const auto& w : words)
    if (is_hit(text, w, query)) hits.push_back(w);

  // The window: all of a short text; else from a word shortly before the first hit, cut at
  // whole words (or at least whole characters) at the end.
  std::size_t begin = 0;
  std::size_t end = text.size();
  if (text.size() > limits::kSnippetMaxBytes) {
    if (!hits.empty() && hits.front().begin > limits::kSnippetContextBytes) {
      const std::size_t earliest = hits.front().begin - limits::kSnippetContextBytes;
      auto first = std::find_if(words.begin(), words.end(), [earliest](const Word& w) { return w.begin >= earliest; });
      begin = first->begin;  // the hit itself is such a word
    }
    end = std::min(text.size(), begin + limits::kSnippetMaxBytes);
    auto split = std::find_if(words.begin(), words.end(), [end](const Word& w) { return w.begin < end && w.end > end; });
    if (split != words.end() && split->begin > begin) end = split->begin;
    while (end < text.size() && end > begin && is_continuation(text[end])) --end;
  }

  Snippet out;
  if (begin > 0) out.text += kEllipsis;
  out.text += text.substr(begin, end - begin);
  if (end < text.size()) out.text += kEllipsis;

  const std::size_t lead = begin > 0 ? 1 : 0;
  for (const auto& h : hits) {
    if (h.begin < begin || h.begin >= end) continue;
    const std::size_t hit_end = std::min(h.end, end);
    out.highlights.push_back(Highlight{lead + code_points(text.substr(begin, h.begin - begin)),
                                       code_points(text.substr(h.begin, hit_end - h.begin))});
  }
  return out;
}

}  // namespace parley::domain
