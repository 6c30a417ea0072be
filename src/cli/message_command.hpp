#pragma once
// The commands that act on one message or find messages: /reply, /edit, /delete, /react,
// /unreact, /versions and /search, parsed from the typed line. Pure: no client, no terminal;
// lifecycle_commands.cpp runs them.
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <parley/types.hpp>

namespace parley::cli {

struct MessageCommand {
  enum class Action { reply, edit, remove, react, unreact, versions, search };
  Action action = Action::reply;
  Seq seq = 0;             // the message acted on, by the handle the screen shows ("#42" or "42")
  std::string text;        // the reply, the new text, the emoji, or the words to search for
  bool this_room = false;  // /search -here: the open room only
};

// nullopt: `line` is none of these commands. An error: how the command is used.
[[nodiscard]] std::optional<std::expected<MessageCommand, std::string>> parse_message_command(std::string_view line);

}  // namespace parley::cli
