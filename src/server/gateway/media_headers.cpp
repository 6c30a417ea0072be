#include "server/gateway/media_headers.hpp"

#include <charconv>

namespace parley::gateway {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A run of digits only: no sign, no spaces, no overflow.
bool parse_position(std::string_view digits, std::int64_t& out) {
  // from_chars reads a leading minus into a signed type: "bytes=--5" would ask for the last -5
  // bytes, a range that ends before it starts.
  if (digits.empty() || digits.front() < '0' || digits.front() > '9') return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && end == digits.data() + digits.size();
}

bool is_attr_char(unsigned char c) {
  // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

ByteRange parse_byte_range(std::string_view header, std::int64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  header = trim(header);
  if (!header.starts_with(kUnit)) return {};
  std::string_view spec = trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return {};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const std::string_view first_text = trim(spec.substr(0, dash)), last_text = trim(spec.substr(dash + 1));
  const ByteRange unsatisfiable{ByteRange::Kind::unsatisfiable};
  if (first_text.empty()) {
    // "-n": the last n bytes.
    std::int64_t suffix = 0;
    if (!parse_position(last_text, suffix)) return {};
    if (suffix == 0 || size == 0) return unsatisfiable;
    return {ByteRange::Kind::partial, suffix >= size ? 0 : size - suffix, size - 1};
  }
  std::int64_t first = 0, last = size - 1;
  if (!parse_position(first_text, first)) return {};
  if (!last_text.empty()) {
    if (!parse_position(last_text, last)) return {};
    if (last < first) return {};  // not a valid range: ignored, as RFC 9110 says
  }
  if (first >= size) return unsatisfiable;
  if (last >= size) last = size - 1;
  return {ByteRange::Kind::partial, first, last};
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view tag = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

std::string content_disposition(bool inline_display, std::string_view name) {
  std::string fallback;
  bool plain = true;
  for (unsigned char c : name) {
    const bool printable_ascii = c >= 0x20 && c < 0x7F;
    if (!printable_ascii) plain = false;
    fallback += printable_ascii && c != '"' && c != '\\' ? static_cast<char>(c) : '_';
  }
  std::string out = inline_display ? "inline" : "attachment";
  out += "; filename=\"" + fallback + "\"";
  if (!plain) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "; filename*=UTF-8''";
    for (unsigned char c : name) {
      if (is_attr_char(c)) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  return out;
}

}  // namespace parley::gateway
