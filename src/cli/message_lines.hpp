#pragma once
// A room's messages as the chat screen shows them, line by line: "HH:MM name: text", wrapped to
// the pane's width with continuation lines under the text, a line of its own for each new day,
// and the state of one's own messages at the end. No terminal: the screen draws these lines.
#include <string>
#include <vector>

#include <parley/types.hpp>

#include "cli/message_text.hpp"

namespace parley::cli {

struct ScreenLine {
  enum class Kind { message, day, system };
  Kind kind = Kind::message;
  std::string text;  // safe to print: other people's text went through shown()
};

[[nodiscard]] std::vector<ScreenLine> message_lines(const std::vector<Message>& messages, UserId me, const Names& names,
                                                    int width);

}  // namespace parley::cli
