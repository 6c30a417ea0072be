#pragma once
// Message text laid out in terminal columns: word wrap by display width (wide CJK characters
// take two columns, combining marks none), with continuation lines indented under the text.
// Pure: no terminal needed.
#include <string>
#include <string_view>
#include <vector>

namespace parley::cli {

// `text` broken into lines of at most `width` columns, at spaces where it can; a word longer
// than a line is broken inside. The spaces a line breaks at are dropped.
[[nodiscard]] std::vector<std::string> wrap_words(std::string_view text, int width);

// `prefix` then `text`, wrapped to `width`: the first line starts with the prefix, the lines
// after it with as many spaces as the prefix is wide, so the text reads as one column. A prefix
// wider than half the width gets a line of its own, the text below it indented by two (under
// it, the text would be squeezed too narrow).
[[nodiscard]] std::vector<std::string> wrap_with_prefix(std::string_view prefix, std::string_view text, int width);

// The first `width` columns of `text`; a wide character that would straddle the edge is left out.
[[nodiscard]] std::string clip_to_width(std::string_view text, int width);

}  // namespace parley::cli
