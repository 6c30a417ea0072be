#pragma once
// UTF-8 decoding and terminal display width, shared by the safe-text filter, the line editor
// and the message wrapper. Pure: no terminal needed.
#include <cstddef>
#include <string>
#include <string_view>

namespace parley::cli {

// The length of the UTF-8 sequence at `in[i]` and its code point, or 0 when it is not valid
// UTF-8 (an overlong form, a surrogate, a truncated sequence, a stray continuation byte).
std::size_t decode_utf8(std::string_view in, std::size_t i, char32_t& code);
void append_utf8(std::string& out, char32_t code);

// Valid UTF-8 only (text that went through shown(), or typed text): invalid bytes become U+FFFD.
[[nodiscard]] std::u32string to_code_points(std::string_view utf8);
[[nodiscard]] std::string to_utf8(std::u32string_view code_points);

// Columns a code point takes on a terminal: 0 for combining marks, 2 for wide (CJK, most emoji),
// 1 otherwise. Uses wcwidth under a UTF-8 locale whatever the process's own locale is, so the
// answer does not depend on LANG.
[[nodiscard]] int char_width(char32_t code);
[[nodiscard]] int display_width(std::u32string_view text);
[[nodiscard]] int display_width(std::string_view utf8);

}  // namespace parley::cli
