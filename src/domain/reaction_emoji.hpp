#pragma once
// What a reaction may be: one emoji, as a person picks it from a keyboard.
#include <string_view>

#include "core/error.hpp"

namespace parley::domain {

// One grapheme cluster of at most limits::kReactionMaxBytes bytes of valid UTF-8: a base
// character that is not a control, space, or a mark that only modifies another, followed only by
// what extends it (combining marks, variation selectors, skin tones, tags, a keycap, a second
// regional indicator for a flag, or a zero-width joiner and the next emoji of a sequence).
// This is a practical subset of Unicode's grapheme rules (UAX #29): enough for every emoji
// keyboard's output, without a Unicode library; Hangul spelled in separate jamo is refused.
[[nodiscard]] Result<void> validate_reaction(std::string_view emoji);

}  // namespace parley::domain
