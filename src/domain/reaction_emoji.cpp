#include "domain/reaction_emoji.hpp"

#include <cstdint>
#include <optional>

#include "domain/limits.hpp"
#include "domain/validation.hpp"

namespace parley::domain {
namespace {

// The next code point of valid UTF-8 (checked by the caller), advancing `at`.
char32_t next_code_point(std::string_view text, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  char32_t cp = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
  for (int i = 1; i < length; ++i) cp = (cp << 6) | (byte(at + i) & 0x3F);
  at += length;
  return cp;
}

bool in(char32_t cp, char32_t low, char32_t high) { return cp >= low && cp <= high; }

bool is_combining_mark(char32_t cp) {
  return in(cp, 0x0300, 0x036F) || in(cp, 0x1AB0, 0x1AFF) || in(cp, 0x1DC0, 0x1DFF) || in(cp, 0x20D0, 0x20FF) ||
         in(cp, 0xFE20, 0xFE2F);
}
bool is_variation_selector(char32_t cp) { return in(cp, 0xFE00, 0xFE0F) || in(cp, 0xE0100, 0xE01EF); }
bool is_skin_tone(char32_t cp) { return in(cp, 0x1F3FB, 0x1F3FF); }
bool is_tag(char32_t cp) { return in(cp, 0xE0020, 0xE007F); }
bool is_regional_indicator(char32_t cp) { return in(cp, 0x1F1E6, 0x1F1FF); }
constexpr char32_t kZeroWidthJoiner = 0x200D;

// What may follow a base character inside its cluster.
bool extends(char32_t cp) { return is_combining_mark(cp) || is_variation_selector(cp) || is_skin_tone(cp) || is_tag(cp); }

// What may begin a cluster (or follow a joiner): not a control, a space, or a modifier.
bool can_start(char32_t cp) {
  if (cp < 0x20 || in(cp, 0x7F, 0x9F) || cp == ' ' || cp == 0xA0) return false;
  if (in(cp, 0x2000, 0x200F) || in(cp, 0x2028, 0x202F) || cp == 0x3000 || cp == 0xFEFF) return false;  // spaces, marks
  return !extends(cp) && cp != kZeroWidthJoiner;
}

}  // namespace

Result<void> validate_reaction(std::string_view emoji) {
  const auto refuse = [] {
    return fail(ErrorCode::invalid_payload, "a reaction must be one emoji (one grapheme cluster, at most 64 bytes)");
  };
  if (emoji.empty() || emoji.size() > limits::kReactionMaxBytes || !is_valid_utf8(emoji)) return refuse();
  std::size_t at = 0;
  const char32_t base = next_code_point(emoji, at);
  if (!can_start(base)) return refuse();
  // A flag is two regional indicators and nothing more.
  if (is_regional_indicator(base)) {
    if (at == emoji.size()) return {};
    if (!is_regional_indicator(next_code_point(emoji, at))) return refuse();
    return at == emoji.size() ? Result<void>{} : refuse();
  }
  bool after_joiner = false;
  while (at < emoji.size()) {
    const char32_t cp = next_code_point(emoji, at);
    if (after_joiner) {
      if (!can_start(cp) || is_regional_indicator(cp)) return refuse();
      after_joiner = false;
    } else if (cp == kZeroWidthJoiner) {
      after_joiner = true;
    } else if (!extends(cp)) {
      return refuse();
    }
  }
  // A sequence never ends on a joiner.
  return after_joiner ? refuse() : Result<void>{};
}

}  // namespace parley::domain
