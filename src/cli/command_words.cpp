#include "cli/command_words.hpp"

#include <sstream>

namespace parley::cli {

std::vector<std::string> words_of(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string rest_after(std::string_view text, std::size_t count) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    at = text.find_first_not_of(' ', at);
    if (at == std::string_view::npos) return "";
    at = text.find(' ', at);
    if (at == std::string_view::npos) return "";
  }
  at = text.find_first_not_of(' ', at);
  return at == std::string_view::npos ? "" : std::string(text.substr(at));
}

}  // namespace parley::cli
