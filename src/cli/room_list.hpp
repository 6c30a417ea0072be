#pragma once
// The chat screen's room list: every room on this device, most recent first, with its unread
// count, the open one marked. Entries come from the SDK's local store, so the list works offline.
#include <curses.h>

#include <string>
#include <vector>

#include <parley/client.hpp>

#include "cli/output.hpp"

namespace parley::cli {

struct RoomEntry {
  RoomId id;
  std::string label;  // the group's name or the direct room's peer, safe to print
  std::int64_t unread = 0;
};

[[nodiscard]] std::vector<RoomEntry> room_entries(const Client& client, const Names& names);
// A room's name as the screen shows it (the peer's username for a direct room).
[[nodiscard]] std::string room_label(const Room& room, const Names& names);

// Draws the list into `window` (its full height and width), keeping the open room in view.
void draw_room_list(WINDOW* window, const std::vector<RoomEntry>& entries, RoomId open);

}  // namespace parley::cli
