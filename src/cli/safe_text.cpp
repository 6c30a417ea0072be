#include "cli/safe_text.hpp"

#include <cstdint>
#include <cstdio>

namespace parley::cli {
namespace {

// The length of the UTF-8 sequence at `in[i]` and its code point, or 0 when it is not valid
// UTF-8 (an overlong form, a surrogate, a truncated sequence, a stray continuation byte).
std::size_t decode(std::string_view in, std::size_t i, char32_t& code) {
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

bool is_bidi_control(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string shown(std::string_view untrusted) {
  std::string out;
  out.reserve(untrusted.size());
  char buffer[16];
  for (std::size_t i = 0; i < untrusted.size();) {
    char32_t c = 0;
    const std::size_t length = decode(untrusted, i, c);
    if (length == 0) {
      std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned char>(untrusted[i]));
      out += buffer;
      ++i;
      continue;
    }
    if (c == '\n') {
      out += "\u23CE";
    } else if (c == '\t') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7F) {
      out += '^';
      out += static_cast<char>(c == 0x7F ? '?' : c + 0x40);
    } else if ((c >= 0x80 && c <= 0x9F) || is_bidi_control(c)) {
      std::snprintf(buffer, sizeof buffer, "<U+%04X>", static_cast<unsigned>(c));
      out += buffer;
    } else {
      out.append(untrusted.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace parley::cli
