#include "cli/utf8.hpp"

#include <locale.h>
#include <wchar.h>

namespace parley::cli {

std::size_t decode_utf8(std::string_view in, std::size_t i, char32_t& code) {
  const auto b0 = static_cast<unsigned char>(in[i]);
  std::size_t length = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > in.size()) return 0;
  code = length == 1 ? b0 : length == 2 ? (b0 & 0x1F) : length == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(in[i + k]);
    if ((b >> 6) != 0x2) return 0;
    code = (code << 6) | (b & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::u32string to_code_points(std::string_view utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = 0;
    std::size_t length = decode_utf8(utf8, i, c);
    out += length == 0 ? U'\uFFFD' : c;
    i += length == 0 ? 1 : length;
  }
  return out;
}

std::string to_utf8(std::u32string_view code_points) {
  std::string out;
  for (char32_t c : code_points) append_utf8(out, c);
  return out;
}

int char_width(char32_t code) {
  if (code < 0x7F) return 1;
  // wcwidth follows LC_CTYPE, which is "C" until the program calls setlocale; a C.UTF-8 locale
  // for this thread alone keeps the answer right for unit tests and other callers alike.
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8 == static_cast<locale_t>(0)) return 1;
  const locale_t previous = uselocale(utf8);
  const int width = wcwidth(static_cast<wchar_t>(code));
  uselocale(previous);
  return width < 0 ? 1 : width;  // unprintable ones are replaced before display; keep them visible
}

int display_width(std::u32string_view text) {
  int width = 0;
  for (char32_t c : text) width += char_width(c);
  return width;
}

int display_width(std::string_view utf8) { return display_width(to_code_points(utf8)); }

}  // namespace parley::cli
