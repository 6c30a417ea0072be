// What a reaction may be: one emoji as keyboards produce it, nothing more.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "domain/reaction_emoji.hpp"

namespace parley::domain {
namespace {

TEST(ReactionEmoji, KeyboardEmojiAreOneReaction) {
  for (std::string emoji : {"👍", "❤️", "🎉", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "é", "x", "ñ"})
    EXPECT_TRUE(validate_reaction(emoji)) << emoji;
}

TEST(ReactionEmoji, TwoClustersOrNoneAreRefused) {
  for (std::string text : std::initializer_list<std::string>{"", "👍👍", "ab", " ", "\t", "\u0301", "\u200d", "👍\u200d", "🇫🇷🇩🇪", "🇫x", "\u00a0",
                           std::string("\xff"), std::string(65, 'a')})
    EXPECT_EQ(validate_reaction(text).error().code, ErrorCode::invalid_payload) << text;
}

}  // namespace
}  // namespace parley::domain
