// The chat screen's commands on one message (/reply, /edit, /delete, /react, /unreact,
// /versions) and /search: each an SDK call on the open room. The actions go through the outbox
// like a send, so they work offline and show once the server has them; /versions and /search
// ask the server and say so when it cannot be reached.
#include "cli/chat_commands.hpp"
#include "cli/message_command.hpp"
#include "cli/safe_text.hpp"
#include "cli/text_wrap.hpp"

namespace parley::cli {
namespace {

using Action = MessageCommand::Action;

CommandOutcome failed(const Error& e) { return {.notice = "error: " + shown(e.message)}; }
CommandOutcome said(std::string notice) { return {.notice = std::move(notice)}; }

bool online(const Client& c) { return c.connection_state() == ConnectionState::online; }

// The message at `seq` as this device holds it.
std::optional<Message> held(const Client& c, RoomId room, Seq seq) {
  for (const auto& m : c.messages(room, 1, seq + 1))
    if (m.seq == seq) return m;
  return std::nullopt;
}

std::string handle(Seq seq) { return "#" + std::to_string(seq); }

// An action queued in the outbox: what the status line says until the message shows it.
CommandOutcome queued(const Client& c, const Result<Message>& done, const std::string& what) {
  if (!done) return failed(done.error());
  return said(online(c) ? what : what + " (offline: it goes when the server is back)");
}

CommandOutcome versions(Client& c, RoomId room, Seq seq) {
  if (!online(c)) return said("/versions needs the server, which cannot be reached now");
  auto list = c.versions(room, seq);
  if (!list) return failed(list.error());
  if (list->empty()) return said(handle(seq) + " has no earlier versions");
  Panel panel{.title = "Earlier versions of " + handle(seq) + " (any key goes back)"};
  for (const auto& v : *list)
    panel.rows.emplace_back("  v" + std::to_string(v.version) + " " + local_time_text(v.written_at, "%Y-%m-%d %H:%M") + "  ",
                            shown(v.text));
  if (auto now = held(c, room, seq); now && !now->deleted) {
    std::string prefix = "  now";
    prefix.resize(panel.rows.back().first.size(), ' ');
    panel.rows.emplace_back(std::move(prefix), shown(now->text));
  }
  return {.panel = std::move(panel)};
}

CommandOutcome search(Client& c, RoomId room, const MessageCommand& command) {
  if (!online(c)) return said("search needs the server, which cannot be reached now");
  SearchOptions options{.limit = 50};
  if (command.this_room) options.room = room;
  auto results = c.search(command.text, options);
  if (!results) return failed(results.error());
  if (results->results.empty()) return said("nothing found for \"" + shown(command.text) + "\"");
  return {.found = Found{.query = command.text, .this_room = command.this_room, .room = room, .results = std::move(*results)}};
}

}  // namespace

CommandOutcome search_more(Client& c, const Found& found) {
  if (!online(c)) return said("more results need the server, which cannot be reached now");
  SearchOptions options{.limit = 50, .cursor = found.results.next_cursor};
  if (found.this_room) options.room = found.room;
  auto results = c.search(found.query, options);
  if (!results) return failed(results.error());
  return {.found = Found{.query = found.query, .this_room = found.this_room, .room = found.room, .results = std::move(*results)}};
}

CommandOutcome delete_message(Client& c, RoomId room, Seq seq) {
  return queued(c, c.remove({room, seq}), "deleting " + handle(seq));
}

CommandOutcome run_message_command(Client& c, RoomId room, const std::string& line) {
  auto parsed = parse_message_command(line);
  if (!parsed) return said("unknown command");
  if (!*parsed) return said(parsed->error());
  const MessageCommand& command = **parsed;
  const MessageRef target{room, command.seq};
  switch (command.action) {
    case Action::reply: return queued(c, c.reply(target, command.text), "replying to " + handle(command.seq));
    case Action::edit: return queued(c, c.edit(target, command.text), "editing " + handle(command.seq));
    case Action::react: return queued(c, c.react(target, command.text), "reacting to " + handle(command.seq));
    case Action::unreact: return queued(c, c.unreact(target, command.text), "taking back the reaction on " + handle(command.seq));
    case Action::versions: return versions(c, room, command.seq);
    case Action::search: return search(c, room, command);
    case Action::remove: {
      // Asked first: a deletion cannot be undone. The message must be one this device knows.
      auto m = held(c, room, command.seq);
      if (!m) return said("no message " + handle(command.seq) + " in this room on this device");
      if (m->deleted) return said(handle(command.seq) + " is already deleted");
      const std::string what = m->text.empty() ? attachment_label(*m) : shown(m->text);
      return {.notice = "delete " + handle(command.seq) + " \"" + clip_to_width(what, 30) + "\" for everyone? (y/n)",
              .confirm_delete = command.seq};
    }
  }
  return said("unknown command");
}

}  // namespace parley::cli
