#pragma once
// The chat screen's slash commands (/help lists them): each turns into SDK calls on the open
// room and says what the screen should do next. No drawing here.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <parley/client.hpp>

#include "cli/output.hpp"

namespace parley::cli {

// Lines shown in place of the messages until a key closes them (/versions): a title, then rows
// of a prefix and a text wrapped under it.
struct Panel {
  std::string title;
  std::vector<std::pair<std::string, std::string>> rows;
};

// What /search found, for the results view.
struct Found {
  std::string query;
  bool this_room = false;
  RoomId room;  // the room open when it searched: with this_room, the one searched
  SearchResults results;
};

struct CommandOutcome {
  std::string notice;              // one line for the status bar
  std::optional<RoomId> open;      // switch to this room
  bool quit = false;
  bool show_help = false;
  bool names_changed = false;      // who is who may have changed (members added, a new room)
  std::optional<Seq> confirm_delete;  // ask y/n on the status line, then delete this message
  std::optional<Panel> panel;
  std::optional<Found> found;
};

// `line` starts with '/'. `names` learns the usernames the command came across.
[[nodiscard]] CommandOutcome run_command(Client& client, RoomId room, Names& names, std::string_view line);

// The commands on one message and /search (message_command.hpp): SDK calls, run from
// run_command. Reply, edit, react and unreact go through the outbox, online or not.
[[nodiscard]] CommandOutcome run_message_command(Client& client, RoomId room, const std::string& line);
// Deletes message `seq` of `room` once the user said yes.
[[nodiscard]] CommandOutcome delete_message(Client& client, RoomId room, Seq seq);
// The page of results after `found`'s (its results.next_cursor), searched as `found` was.
[[nodiscard]] CommandOutcome search_more(Client& client, const Found& found);

// A panel's lines wrapped to `width` columns.
[[nodiscard]] std::vector<std::string> panel_lines(const Panel& panel, int width);

// What /help shows, the commands then the keys, wrapped to `width` columns.
[[nodiscard]] std::vector<std::string> help_lines(int width);

}  // namespace parley::cli
