#pragma once
// Splitting a typed command into its words. Pure: no client, no terminal.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley::cli {

// The words of `text`, split at spaces.
[[nodiscard]] std::vector<std::string> words_of(std::string_view text);
// What follows the first `count` words, as typed (a caption keeps its spacing).
[[nodiscard]] std::string rest_after(std::string_view text, std::size_t count);

}  // namespace parley::cli
