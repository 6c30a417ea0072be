#pragma once
// A room's messages as the chat screen shows them, line by line: "HH:MM #SEQ name: text", wrapped
// to the pane's width with continuation lines under the text, a line of its own for each new
// day, and the state of one's own messages at the end. A reply has the message it answers
// quoted above it, an edited message ends with "(edited)", a deleted one is a tombstone, and
// reactions follow on a line under the text. No terminal: the screen draws these lines.
#include <cstddef>
#include <string>
#include <vector>

#include <parley/types.hpp>

#include "cli/message_text.hpp"

namespace parley::cli {

struct ScreenLine {
  enum class Kind { message, day, system, quote, deleted };
  Kind kind = Kind::message;
  std::string text;  // safe to print: other people's text went through shown()
  Seq seq = 0;       // the message the line belongs to (0: a day line, or one still pending)
  // The bytes of `text` holding the message's handle ("#42"), drawn dimmed; empty when none.
  std::size_t handle_begin = 0;
  std::size_t handle_end = 0;
};

[[nodiscard]] std::vector<ScreenLine> message_lines(const std::vector<Message>& messages, UserId me, const Names& names,
                                                    int width);

// "↳ bob: start of the original…": the message a reply answers, `original` as it stands now
// when the screen holds it (so its edits and its deletion show at once), else the reply's
// preview. Cut to `max_chars` characters.
[[nodiscard]] std::string reply_quote(const Message& reply, const Message* original, UserId me, const Names& names,
                                      std::size_t max_chars);


}  // namespace parley::cli
