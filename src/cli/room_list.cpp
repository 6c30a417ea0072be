#include "cli/room_list.hpp"

#include <algorithm>

#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"
#include "cli/utf8.hpp"

namespace parley::cli {

std::string room_label(const Room& room, const Names& names) {
  if (room.kind == "direct" && room.peer) {
    auto peer = names.find(*room.peer);
    return peer != names.end() ? peer->second : "user " + std::to_string(room.peer->value);
  }
  return room.name.empty() ? "#" + std::to_string(room.id.value) : shown(room.name);
}

std::vector<RoomEntry> room_entries(const Client& client, const Names& names) {
  std::vector<RoomEntry> entries;
  for (const auto& room : client.rooms()) entries.push_back({room.id, room_label(room, names), room.unread_count});
  return entries;
}

void draw_room_list(WINDOW* window, const std::vector<RoomEntry>& entries, RoomId open) {
  werase(window);
  const int height = getmaxy(window);
  const int width = getmaxx(window);
  wattron(window, A_BOLD);
  mvwaddstr(window, 0, 0, clip_to_width("Rooms", width).c_str());
  wattroff(window, A_BOLD);
  const int rows = height - 1;
  auto at = std::find_if(entries.begin(), entries.end(), [&](const RoomEntry& e) { return e.id == open; });
  const int open_index = at == entries.end() ? 0 : static_cast<int>(at - entries.begin());
  const int first = std::max(0, open_index - rows + 1);
  for (int row = 0; row < rows && first + row < static_cast<int>(entries.size()); ++row) {
    const RoomEntry& e = entries[static_cast<std::size_t>(first + row)];
    const bool is_open = e.id == open;
    // The count keeps its place: the name is shortened to leave room for it.
    const std::string count = e.unread > 0 ? " (" + std::to_string(e.unread) + ")" : "";
    const std::string name = clip_to_width(e.label, width - 2 - display_width(count));
    if (is_open) wattron(window, A_REVERSE);
    if (e.unread > 0) wattron(window, A_BOLD);
    mvwaddstr(window, row + 1, 0, clip_to_width((is_open ? "> " : "  ") + name + count, width).c_str());
    wattroff(window, A_REVERSE | A_BOLD);
  }
}

}  // namespace parley::cli
