#pragma once
// The chat screen's slash commands (/help lists them): each turns into SDK calls on the open
// room and says what the screen should do next. No drawing here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <parley/client.hpp>

#include "cli/output.hpp"

namespace parley::cli {

struct CommandOutcome {
  std::string notice;              // one line for the status bar
  std::optional<RoomId> open;      // switch to this room
  bool quit = false;
  bool show_help = false;
  bool names_changed = false;      // who is who may have changed (members added, a new room)
};

// `line` starts with '/'. `names` learns the usernames the command came across.
[[nodiscard]] CommandOutcome run_command(Client& client, RoomId room, Names& names, std::string_view line);

// What /help shows, the commands then the keys, wrapped to `width` columns.
[[nodiscard]] std::vector<std::string> help_lines(int width);

}  // namespace parley::cli
