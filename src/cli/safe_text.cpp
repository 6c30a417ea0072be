#include "cli/safe_text.hpp"

#include <cstdint>
#include <cstdio>

#include "cli/utf8.hpp"

namespace parley::cli {
namespace {

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
    const std::size_t length = decode_utf8(untrusted, i, c);
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
