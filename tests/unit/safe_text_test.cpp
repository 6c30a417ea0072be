// What the terminal client prints of other people's text cannot drive the terminal.
#include <gtest/gtest.h>

#include "cli/safe_text.hpp"

namespace parley::cli {
namespace {

TEST(SafeText, OrdinaryTextPassesUnchanged) {
  EXPECT_EQ(shown("hello, wörld ✓ 日本"), "hello, wörld ✓ 日本");
  EXPECT_EQ(shown(""), "");
}

TEST(SafeText, EscapeSequencesAreShownNotObeyed) {
  // The report's message: a window title change, then a screen clear.
  EXPECT_EQ(shown("\x1b]2;pwned\x07\x1b[2J"), "^[]2;pwned^G^[[2J");
  // OSC 52 writes the clipboard on some terminals.
  EXPECT_EQ(shown("\x1b]52;c;ZXZpbA==\x1b\\"), "^[]52;c;ZXZpbA==^[\\");
  EXPECT_EQ(shown("a\rb\x7f" "c"), "a^Mb^?c");
  EXPECT_EQ(shown("line one\nline two\tend"), "line one\u23CEline two end");
}

TEST(SafeText, C1ControlsAndBidiOverridesAreNamed) {
  EXPECT_EQ(shown("\xc2\x9b" "2J"), "<U+009B>2J") << "CSI as one C1 character";
  EXPECT_EQ(shown("invoice\u202Efdp.exe"), "invoice<U+202E>fdp.exe");
  EXPECT_EQ(shown("\u2066x\u2069"), "<U+2066>x<U+2069>");
}

TEST(SafeText, BytesThatAreNotUtf8AreShownAsBytes) {
  EXPECT_EQ(shown("a\xff" "b"), "a\\xFFb");
  EXPECT_EQ(shown("\xc0\xaf"), "\\xC0\\xAF") << "an overlong '/'";
  EXPECT_EQ(shown("\xe2\x82"), "\\xE2\\x82") << "cut short";
}

}  // namespace
}  // namespace parley::cli
