#include "cli/chat_commands.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/command_words.hpp"
#include "cli/message_command.hpp"
#include "cli/room_list.hpp"
#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"

namespace parley::cli {
namespace {

CommandOutcome failed(const Error& e) { return {.notice = "error: " + shown(e.message)}; }
CommandOutcome said(std::string notice) { return {.notice = std::move(notice)}; }
CommandOutcome usage(const char* how) { return said(std::string("usage: ") + how); }

Result<UserId> find_user_id(Client& c, const std::string& username, Names& names) {
  auto user = c.find_user(username);
  if (!user) return std::unexpected(user.error());
  names[user->id] = shown(user->username);
  return user->id;
}

CommandOutcome join(Client& c, const Names& names, const std::string& which) {
  for (const auto& room : c.rooms()) {
    bool by_id = which == std::to_string(room.id.value) || which == "#" + std::to_string(room.id.value);
    if (by_id || room_label(room, names) == which) return {.open = room.id};
  }
  return said("no room " + shown(which) + " on this device (/dm USER or /group NAME USERS... makes one)");
}

CommandOutcome members(Client& c, RoomId room, Names& names) {
  auto list = c.members(room);
  if (!list) return failed(list.error());
  std::string line = "members:";
  for (const auto& m : *list) {
    names[m.user_id] = shown(m.username);
    line += " " + shown(m.username) + (m.role == "admin" ? " (admin)" : "");
  }
  return {.notice = line, .names_changed = true};
}

CommandOutcome send_file(Client& c, RoomId room, const std::vector<std::string>& words, std::string_view line) {
  if (words.size() < 2) return usage("/file PATH [CAPTION]");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(words[1], ec)) return said("no file " + shown(words[1]));
  auto sent = c.send_file(room, words[1], {.caption = rest_after(line, 2)});
  if (!sent) return failed(sent.error());
  return said("sending " + shown(std::filesystem::path(words[1]).filename().string()));
}

CommandOutcome download(Client& c, RoomId room, const std::vector<std::string>& words) {
  if (words.size() != 3) return usage("/download SEQ PATH");
  Seq seq = 0;
  try {
    seq = std::stoll(words[1]);
  } catch (const std::exception&) {
    return usage("/download SEQ PATH (SEQ: the number in [file #SEQ])");
  }
  std::optional<Message> found;
  for (const auto& m : c.messages(room, 1, seq + 1))
    if (m.seq == seq) found = m;
  if (!found || !found->attachment) return said("no file #" + words[1] + " in this room");
  auto cached = c.download(*found);  // blocks while downloading: the screen waits, as a shell would
  if (!cached) return failed(cached.error());
  std::error_code ec;
  std::filesystem::copy_file(*cached, words[2], std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return said("cannot write " + shown(words[2]) + ": " + ec.message());
  return said("saved " + shown(words[2]));
}

}  // namespace

std::vector<std::string> help_lines(int width) {
  // A heading has no description.
  static const std::vector<std::pair<std::string, std::string>> entries = {
      {"Commands", ""},
      {"/join N|NAME", "open room N (its id) or the room named NAME"},
      {"/dm USER", "open the direct room with USER (made the first time)"},
      {"/group NAME USER...", "make a group with these members and open it"},
      {"/members", "who is in this room"},
      {"/add USER [admin]", "add USER to this group (admins only)"},
      {"/remove USER", "remove USER from this group (admins only)"},
      {"/rename NAME", "rename this group"},
      {"/leave", "leave this room"},
      {"/status STATUS", "available, away, busy or invisible"},
      {"/file PATH [CAPTION]", "send a file (queued when offline)"},
      {"/download SEQ PATH", "save the file of [file #SEQ] to PATH"},
      {"/reply SEQ TEXT", "answer #SEQ (the number by the sender)"},
      {"/edit SEQ TEXT", "change one's own message #SEQ"},
      {"/delete SEQ", "delete #SEQ for everyone (asks y/n)"},
      {"/react SEQ EMOJI", "react to #SEQ; [👍 2]: one's own"},
      {"/unreact SEQ EMOJI", "take one's reaction back"},
      {"/versions SEQ", "the earlier texts of edited #SEQ"},
      {"/search WORDS", "find messages in all one's rooms"},
      {"/search -here WORDS", "find messages in this room"},
      {"/help", "this list"},
      {"/quit", "leave the chat (also Ctrl-D, Ctrl-C)"},
      {"//text", "send \"/text\""},
      {"Keys", ""},
      {"Ctrl-N, Alt-Down", "next room in the list"},
      {"Ctrl-P, Alt-Up", "previous room in the list"},
      {"PageUp, PageDown", "scroll the messages (older ones load at the top)"},
      {"Left, Right", "move by character"},
      {"Alt-b, Alt-f", "move by word (also Ctrl-Left, Ctrl-Right)"},
      {"Home, End", "start, end of the line (also Ctrl-A, Ctrl-E)"},
      {"Backspace, Delete", "delete the character before, under the cursor"},
      {"Ctrl-W", "delete the word before the cursor"},
      {"Ctrl-U, Ctrl-K", "delete the line before, after the cursor"},
      {"Up, Down", "lines sent before"},
      {"Ctrl-L", "redraw the screen"},
      {"Search results", ""},
      {"Up, Down", "choose a result"},
      {"Enter", "open its room at the message"},
      {"Esc", "back to the chat"},
  };
  constexpr std::size_t kColumn = 24;  // where descriptions start
  std::vector<std::string> lines;
  for (const auto& [what, does] : entries) {
    if (does.empty()) {
      lines.push_back(what);
      continue;
    }
    std::string prefix = "  " + what;
    prefix.resize(std::max(kColumn, prefix.size() + 1), ' ');
    for (auto& line : wrap_with_prefix(prefix, does, width)) lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> panel_lines(const Panel& panel, int width) {
  std::vector<std::string> lines{clip_to_width(panel.title, width)};
  for (const auto& [prefix, text] : panel.rows)
    for (auto& line : wrap_with_prefix(prefix, text, width)) lines.push_back(std::move(line));
  return lines;
}

CommandOutcome run_command(Client& c, RoomId room, Names& names, std::string_view line) {
  if (parse_message_command(line)) return run_message_command(c, room, std::string(line));
  const auto words = words_of(line);
  const std::string& name = words.front();
  if (name == "/quit" || name == "/exit") return {.quit = true};
  if (name == "/help") return {.show_help = true};
  if (name == "/join") return words.size() >= 2 ? join(c, names, rest_after(line, 1)) : usage("/join N|NAME");
  if (name == "/members") return members(c, room, names);
  if (name == "/file") return send_file(c, room, words, line);
  if (name == "/download") return download(c, room, words);
  if (name == "/status") {
    if (words.size() != 2) return usage("/status available|away|busy|invisible");
    auto done = c.set_presence(words[1]);
    return done ? said("status: " + shown(words[1])) : failed(done.error());
  }
  if (name == "/dm") {
    if (words.size() != 2) return usage("/dm USER");
    auto found = c.direct_room(words[1]);
    if (!found) return failed(found.error());
    if (found->peer) names[*found->peer] = shown(words[1]);
    return {.open = found->id, .names_changed = true};
  }
  if (name == "/group") {
    if (words.size() < 2) return usage("/group NAME USER...");
    std::vector<UserId> ids;
    for (std::size_t i = 2; i < words.size(); ++i) {
      auto id = find_user_id(c, words[i], names);
      if (!id) return failed(id.error());
      ids.push_back(*id);
    }
    auto made = c.create_group(words[1], ids);
    if (!made) return failed(made.error());
    return {.open = made->id, .names_changed = true};
  }
  if (name == "/add") {
    if (words.size() < 2 || words.size() > 3) return usage("/add USER [admin]");
    auto id = find_user_id(c, words[1], names);
    if (!id) return failed(id.error());
    auto added = c.add_member(room, *id, words.size() == 3 ? words[2] : "member");
    if (!added) return failed(added.error());
    return {.notice = "added " + shown(words[1]) + " as " + shown(added->role), .names_changed = true};
  }
  if (name == "/remove") {
    if (words.size() != 2) return usage("/remove USER");
    auto id = find_user_id(c, words[1], names);
    if (!id) return failed(id.error());
    auto done = c.remove_member(room, *id);
    return done ? said("removed " + shown(words[1])) : failed(done.error());
  }
  if (name == "/rename") {
    std::string new_name = rest_after(line, 1);
    if (new_name.empty()) return usage("/rename NAME");
    auto done = c.rename_group(room, new_name);
    return done ? said("renamed") : failed(done.error());
  }
  if (name == "/leave") {
    auto done = c.leave(room);
    return done ? said("left the room") : failed(done.error());
  }
  return said("unknown command " + shown(name) + " (/help lists them)");
}

}  // namespace parley::cli
