// `parley chat ROOM`: a full-screen chat in the terminal, drawn with ncurses. The room list on
// the left (unread counts; Ctrl-N/Ctrl-P switch), the open room's messages beside it, then a
// status line (who is typing, what a command said) and the input line.
//
// One thread does everything: the SDK queues its callbacks (no executor) and this loop runs them
// with drain(), so ncurses, which is not thread-safe, is only ever called from here. A callback
// only marks the panes it changes; a pane is redrawn when marked, and doupdate() sends the
// terminal only the cells that differ. Offline it keeps working from the local store: what is
// written waits in the outbox, shown pending.
#include <curses.h>
#include <langinfo.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <clocale>
#include <cstring>
#include <iostream>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "cli/chat_commands.hpp"
#include "cli/commands.hpp"
#include "cli/line_editor.hpp"
#include "cli/message_lines.hpp"
#include "cli/output.hpp"
#include "cli/room_list.hpp"
#include "cli/safe_text.hpp"
#include "cli/search_view.hpp"
#include "cli/text_wrap.hpp"

namespace parley::cli {

using namespace std::chrono_literals;

namespace {

// How often typing.start is repeated while the user keeps typing: well inside the server's
// expiry, so the indicator stays on without a flood.
constexpr auto kTypingRefresh = 3s;
// How often the typing line and the header are recomputed without an event (someone stopped
// typing; "last seen"). They are repainted only when their text changed.
constexpr auto kRecheckEvery = 1s;
// How long to wait for a key before running the SDK's queued callbacks.
constexpr int kKeyWaitMs = 50;
// Messages read from the local store at first; PageUp at the top adds older pages.
constexpr std::size_t kFirstPage = 200;
constexpr std::size_t kOlderPage = 50;

// Key codes for Alt-Up/Alt-Down, bound to their escape sequences at start: terminfo has no
// standard name for them.
constexpr int kAltUp = KEY_MAX + 1;
constexpr int kAltDown = KEY_MAX + 2;
constexpr int kWordLeft = KEY_MAX + 3;   // Ctrl-Left, Alt-Left
constexpr int kWordRight = KEY_MAX + 4;  // Ctrl-Right, Alt-Right

constexpr int ctrl(char c) { return c & 0x1F; }

// The panes, as bits of what must be redrawn.
enum Pane : unsigned { kHeader = 1, kRooms = 2, kChat = 4, kStatus = 8, kInput = 16, kAll = 31 };

// ncurses on, with UTF-8, raw keys and no echo; off again on every way out.
class Curses {
 public:
  Curses() {
    std::setlocale(LC_ALL, "");
    // Messages are UTF-8 whatever the locale says; a terminal left at "C" would show "é" as two
    // wrong cells. Every current terminal speaks UTF-8.
    if (std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0) std::setlocale(LC_CTYPE, "C.UTF-8");
    set_escdelay(25);  // Alt-b arrives as ESC b, together: no need to wait long for the b
    initscr();
    raw();
    noecho();
    nonl();
    curs_set(1);
    define_key("\x1b[1;3A", kAltUp);
    define_key("\x1b[1;3B", kAltDown);
    define_key("\x1b\x1b[A", kAltUp);
    define_key("\x1b\x1b[B", kAltDown);
    for (const char* left : {"\x1b[1;5D", "\x1b[1;3D"}) define_key(left, kWordLeft);
    for (const char* right : {"\x1b[1;5C", "\x1b[1;3C"}) define_key(right, kWordRight);
  }
  ~Curses() { endwin(); }
  Curses(const Curses&) = delete;
  Curses& operator=(const Curses&) = delete;
};

class ChatScreen {
 public:
  ChatScreen(Client& client, RoomId room) : c_(client), room_(room), me_(client.me()->id) {}

  int run() {
    Curses curses;
    learn_cached_names();
    c_.set_observer(observer());
    open_room(room_);
    draw();
    auto last_check = std::chrono::steady_clock::now();
    while (!quit_) {
      read_keys();
      if (c_.drain() > 0 && names_stale_ && c_.connection_state() == ConnectionState::online) refresh_names();
      if (auto now = std::chrono::steady_clock::now(); now - last_check > kRecheckEvery) {
        last_check = now;
        if (typing_line() != shown_status_) dirty_ |= kStatus;
        if (header_line() != shown_header_) dirty_ |= kHeader;
      }
      if (dirty_ != 0) draw();
    }
    destroy_windows();
    return kExitOk;
  }

  std::string farewell() const { return farewell_; }

 private:
  Observer observer() {
    return {.connection = [this](ConnectionState) { dirty_ |= kHeader | kChat; },
            .message = [this](const Message& m) {
              if (m.state == MessageState::failed && is_event_type(m.type)) return refused(m);
              if (m.room_id != room_) return;
              dirty_ |= kChat;
              if (m.type == "system") names_stale_ = true;
            },
            .room = [this](const Room& r) { dirty_ |= kRooms | (r.id == room_ ? kHeader : 0u); },
            .receipts = [this](RoomId r) { dirty_ |= r == room_ ? kChat : 0u; },
            .members = [this](RoomId r, const std::vector<Member>& members) {
              for (const auto& m : members) names_[m.user_id] = shown(m.username);
              dirty_ |= kRooms | kHeader | (r == room_ ? kChat : 0u);
            },
            .room_removed = [this](RoomId r) {
              dirty_ |= kRooms;
              if (r == room_) room_gone_ = true;
            },
            .typing = [this](RoomId r, const std::vector<UserId>&) { dirty_ |= r == room_ ? kStatus : 0u; },
            .presence = [this](const Presence&) { dirty_ |= kHeader | kRooms; }};
  }

  // One's reply, edit, deletion or reaction the server refused for good (not the sender, the
  // window for edits passed): the status line says why, and it leaves the outbox. A message
  // that failed stays in the list, for the user to see; an action has nowhere to show.
  void refused(const Message& m) {
    static const std::unordered_map<std::string, std::string> kWhat = {
        {"edit", "edit"}, {"deletion", "deletion"}, {"reaction", "reaction"}, {"reaction_removed", "taking back a reaction"}};
    auto what = kWhat.find(m.type);
    notice_ = (what != kWhat.end() ? what->second : m.type) + " of #" + std::to_string(m.relates_to.value_or(0)) +
              " refused: " + shown(m.failure);
    (void)c_.discard(m.client_msg_id);
    dirty_ |= kStatus;
  }

  // ---- rooms and names --------------------------------------------------------------------

  void learn_cached_names() {
    for (const auto& room : c_.rooms())
      for (const auto& m : c_.cached_members(room.id)) names_[m.user_id] = shown(m.username);
  }

  void refresh_names() {
    auto names = member_names(c_, room_);
    if (names.empty()) return;
    for (auto& [id, name] : names) names_[id] = std::move(name);
    names_stale_ = false;
    dirty_ |= kChat | kRooms | kHeader;
  }

  void open_room(RoomId id) {
    if (id != room_ && c_.connection_state() == ConnectionState::online) (void)c_.stop_typing(room_);
    room_ = id;
    held_ = kFirstPage;
    scroll_ = 0;
    overlay_ = nullptr;
    search_.reset();
    jump_to_.reset();
    last_typing_ = {};
    names_stale_ = true;
    if (c_.connection_state() == ConnectionState::online) refresh_names();
    reload_messages();
    dirty_ = kAll;
  }

  // Ctrl-N/Ctrl-P: the next or previous room in the list, round the ends.
  void step_room(int step) {
    const auto rooms = c_.rooms();
    if (rooms.empty()) return;
    auto at = std::find_if(rooms.begin(), rooms.end(), [&](const Room& r) { return r.id == room_; });
    const int n = static_cast<int>(rooms.size());
    const int index = at == rooms.end() ? 0 : static_cast<int>(at - rooms.begin());
    open_room(rooms[static_cast<std::size_t>(((index + step) % n + n) % n)].id);
  }

  // The open room went away (left, or removed by an admin): on to another, or out.
  void leave_gone_room() {
    room_gone_ = false;
    const auto rooms = c_.rooms();
    auto other = std::find_if(rooms.begin(), rooms.end(), [&](const Room& r) { return r.id != room_; });
    if (other == rooms.end()) {
      farewell_ = "parley: you are no longer in this room";
      quit_ = true;
      return;
    }
    open_room(other->id);
    notice_ = "you are no longer in that room";
  }

  // ---- keys -------------------------------------------------------------------------------

  void read_keys() {
    wtimeout(input_, kKeyWaitMs);  // the loop's wait: a key or the SDK's next turn
    wint_t key = 0;
    int got = wget_wch(input_, &key);
    while (got != ERR) {
      if (got == OK && key == 0x1b) {
        // ESC: alone it closes /help; followed at once by a key it is Alt with that key.
        wtimeout(input_, 0);
        wint_t next = 0;
        if (wget_wch(input_, &next) != OK) {
          on_escape();
        } else if (next == '[' || next == 'O') {
          skip_escape_sequence();
        } else {
          on_alt(next);
        }
      } else {
        on_key(static_cast<int>(key), got == KEY_CODE_YES);
      }
      if (quit_ || !input_) return;  // a resize took the windows down: draw before reading on
      wtimeout(input_, 0);
      got = wget_wch(input_, &key);
    }
  }

  // A key the terminal describes in no terminfo entry (Ctrl-Up, say) arrives as its raw
  // sequence: read to its final byte so that "[1;5A" is not typed into the line.
  void skip_escape_sequence() {
    wint_t c = 0;
    while (wget_wch(input_, &c) == OK)
      if (c >= 0x40 && c <= 0x7E) return;
  }

  // Escape alone: closes /help, /versions and the search results, or answers no.
  void on_escape() {
    if (overlay_ || search_ || pending_delete_) dirty_ |= kChat | kStatus;
    if (pending_delete_) notice_ = "not deleted";
    overlay_ = nullptr;
    search_.reset();
    pending_delete_.reset();
  }

  // /delete asked "y/n" on the status line: this key is the answer.
  void answer_delete(int key) {
    const Seq seq = *pending_delete_;
    pending_delete_.reset();
    notice_ = key == 'y' || key == 'Y' ? delete_message(c_, room_, seq).notice : "not deleted";
    dirty_ |= kStatus | kChat;
  }

  // The search results take Up, Down, PageUp, PageDown, and Enter on an empty line.
  bool on_search_key(int key, bool function_key) {
    const int page = std::max(1, chat_height() / 3);
    int step = 0;
    if (function_key && key == KEY_UP) step = -1;
    else if (function_key && key == KEY_DOWN) step = 1;
    else if (function_key && key == KEY_PPAGE) step = -page;
    else if (function_key && key == KEY_NPAGE) step = page;
    else if (((function_key && key == KEY_ENTER) || (!function_key && (key == '\r' || key == '\n'))) && editor_.empty()) {
      const SearchResult chosen = search_->selected();
      open_room(chosen.room_id);
      jump_to_ = chosen.seq;
      return true;
    } else {
      return false;
    }
    if (step > 0 && search_->wants_more()) {
      CommandOutcome more = search_more(c_, search_->found());
      if (more.found) search_->append(std::move(more.found->results));
      notice_ = more.notice;
      dirty_ |= kChat | kStatus;
      return true;
    }
    search_->select(step);
    dirty_ |= kChat;
    return true;
  }

  void on_alt(wint_t key) {
    if (key == 'b') editor_.word_left();
    else if (key == 'f') editor_.word_right();
    dirty_ |= kInput;
  }

  void on_key(int key, bool function_key) {
    if (pending_delete_) return answer_delete(function_key ? 0 : key);
    if (search_ && on_search_key(key, function_key)) return;
    if (overlay_) {
      if (function_key && (key == KEY_PPAGE || key == KEY_NPAGE)) {  // the help is longer than a short screen
        help_scroll_ = std::max(0, help_scroll_ + (key == KEY_NPAGE ? 1 : -1) * std::max(1, chat_height() - 1));
        dirty_ |= kChat;
        return;
      }
      overlay_ = nullptr;  // any other key closes the help, and does what it does
      dirty_ |= kChat | kStatus;
    }
    if (function_key) return on_function_key(key);
    switch (key) {
      case ctrl('C'):
      case ctrl('D'): quit_ = true; return;
      case '\r':
      case '\n': return submit();
      case 127:
      case ctrl('H'): editor_.backspace(); break;
      case ctrl('A'): editor_.home(); break;
      case ctrl('E'): editor_.end(); break;
      case ctrl('U'): editor_.kill_to_start(); break;
      case ctrl('W'): editor_.kill_word_before(); break;
      case ctrl('K'): editor_.kill_to_end(); break;
      case ctrl('N'): return step_room(+1);
      case ctrl('P'): return step_room(-1);
      case ctrl('L'):
        clearok(curscr, TRUE);
        dirty_ = kAll;
        return;
      default:
        if (key < 0x20) return;  // other control keys: nothing
        editor_.insert(static_cast<char32_t>(key));
        typing();
    }
    dirty_ |= kInput;
  }

  void on_function_key(int key) {
    switch (key) {
      case KEY_LEFT: editor_.left(); break;
      case KEY_RIGHT: editor_.right(); break;
      case kWordLeft: editor_.word_left(); break;
      case kWordRight: editor_.word_right(); break;
      case KEY_HOME: editor_.home(); break;
      case KEY_END: editor_.end(); break;
      case KEY_DC: editor_.delete_forward(); break;
      case KEY_BACKSPACE: editor_.backspace(); break;
      case KEY_UP: editor_.history_previous(); break;
      case KEY_DOWN: editor_.history_next(); break;
      case KEY_ENTER: return submit();
      case KEY_PPAGE: return scroll_page(+1);
      case KEY_NPAGE: return scroll_page(-1);
      case kAltUp: return step_room(-1);
      case kAltDown: return step_room(+1);
      case KEY_RESIZE:
        destroy_windows();
        dirty_ = kAll;
        return;
      default: return;
    }
    dirty_ |= kInput;
  }

  void submit() {
    std::string text = editor_.submit();
    dirty_ |= kInput;
    notice_.clear();
    dirty_ |= kStatus;
    if (text.find_first_not_of(' ') == std::string::npos) return;
    if (text.starts_with('/') && !text.starts_with("//")) return command(text);
    if (text.starts_with("//")) text.erase(0, 1);  // "//x" sends "/x"
    if (auto sent = c_.send_text(room_, text); !sent) notice_ = "error: " + shown(sent.error().message);
    scroll_ = 0;
    last_typing_ = {};
    dirty_ |= kChat;
  }

  void command(const std::string& line) {
    CommandOutcome outcome = run_command(c_, room_, names_, line);
    if (outcome.quit) quit_ = true;
    if (outcome.show_help) show_overlay(help_lines);
    if (outcome.panel) show_overlay([panel = std::move(*outcome.panel)](int width) { return panel_lines(panel, width); });
    if (outcome.open) open_room(*outcome.open);
    if (outcome.found) {
      overlay_ = nullptr;
      search_.emplace(std::move(*outcome.found));
    }
    pending_delete_ = outcome.confirm_delete;
    if (outcome.names_changed) dirty_ |= kRooms | kHeader | kChat;
    notice_ = outcome.notice;
    dirty_ |= kChat | kStatus;
  }

  void show_overlay(std::function<std::vector<std::string>(int)> lines) {
    overlay_ = std::move(lines);
    help_scroll_ = 0;
  }

  void typing() {
    auto now = std::chrono::steady_clock::now();
    if (now - last_typing_ < kTypingRefresh || c_.connection_state() != ConnectionState::online) return;
    last_typing_ = now;
    (void)c_.start_typing(room_);
  }

  // PageUp/PageDown: a page less a line, so one line of context stays. At the top of what this
  // device holds, the server is asked for older pages; at the top of the room it stops there.
  void scroll_page(int direction) {
    const int page = std::max(1, chat_height() - 1);
    scroll_ = std::max(0, scroll_ + direction * page);
    if (direction > 0 && scroll_ > max_scroll()) load_older();
    scroll_ = std::min(scroll_, max_scroll());
    dirty_ |= kChat | kStatus;
  }

  void load_older() {
    if (at_top_.contains(room_)) return;
    if (c_.messages(room_, held_ + 1).size() > messages_.size()) {  // more already on this device
      held_ += kOlderPage;
    } else if (c_.connection_state() == ConnectionState::online) {
      auto older = c_.load_older(room_, kOlderPage);
      if (older && older->empty()) at_top_.insert(room_);
      if (older) held_ += older->size();
    } else {
      notice_ = "offline: older messages load when the server is back";
      return;
    }
    reload_messages();
  }

  void mark_read() {
    if (scroll_ != 0 || c_.connection_state() != ConnectionState::online) return;
    auto room = c_.room(room_);
    if (room && room->last_seq > room->read_seq && room->last_seq > marked_[room_]) {
      marked_[room_] = room->last_seq;
      (void)c_.mark_read(room_, room->last_seq);
    }
  }

  // ---- layout -----------------------------------------------------------------------------

  // The room list stays visible: 24 columns on a wide terminal, 16 on an 80-column one, and
  // only under 50 columns is it left out (the chat would be too narrow to read).
  static int room_list_width(int columns) { return columns >= 120 ? 24 : columns >= 50 ? 16 : 0; }

  void create_windows() {
    const int rows = std::max(LINES, 5);
    const int columns = std::max(COLS, 20);
    const int list = room_list_width(columns);
    const int body = rows - 3;  // header, status line, input line
    header_ = newwin(1, columns, 0, 0);
    if (list > 0) {
      rooms_ = newwin(body, list, 1, 0);
      divider_ = newwin(body, 1, 1, list);
    }
    const int chat_left = list > 0 ? list + 1 : 0;
    chat_ = newwin(body, columns - chat_left, 1, chat_left);
    status_ = newwin(1, columns, rows - 2, 0);
    input_ = newwin(1, columns, rows - 1, 0);
    keypad(input_, TRUE);
    laid_out_width_ = -1;
  }

  void destroy_windows() {
    for (WINDOW** w : {&header_, &rooms_, &divider_, &chat_, &status_, &input_})
      if (*w) delwin(*w), *w = nullptr;
  }

  int chat_height() const { return chat_ ? getmaxy(chat_) : 1; }
  int max_scroll() const { return std::max(0, static_cast<int>(lines_.size()) - chat_height()); }

  void reload_messages() {
    messages_ = c_.messages(room_, held_);
    laid_out_width_ = -1;
  }

  void lay_out_messages() {
    const int width = getmaxx(chat_);
    if (width == laid_out_width_) return;
    lines_ = message_lines(messages_, me_, names_, width);
    laid_out_width_ = width;
  }

  // ---- drawing ----------------------------------------------------------------------------

  std::string header_line() const {
    auto room = c_.room(room_);
    std::string line = "Parley - " + (room ? room_label(*room, names_) : "?") + " #" + std::to_string(room_.value) + " - " +
                       to_string(c_.connection_state());
    if (room && room->kind == "direct" && room->peer)
      if (auto p = c_.presence(*room->peer)) line += " - " + room_label(*room, names_) + " " + describe(*p);
    return line;
  }

  std::string typing_line() const {
    std::string who;
    for (UserId u : c_.typing(room_)) {
      auto name = names_.find(u);
      who += (who.empty() ? "" : ", ") + (name != names_.end() ? name->second : "user " + std::to_string(u.value));
    }
    return who.empty() ? "" : who + " is typing...";
  }

  void draw() {
    if (!header_) create_windows();
    if (room_gone_) leave_gone_room();
    if (quit_) return;
    if (dirty_ & kHeader) draw_header();
    if ((dirty_ & kRooms) && rooms_) {
      draw_room_list(rooms_, room_entries(c_, names_), room_);
      werase(divider_);
      wvline(divider_, ACS_VLINE, getmaxy(divider_));
      wnoutrefresh(rooms_);
      wnoutrefresh(divider_);
    }
    if (dirty_ & kChat) draw_chat();
    if (dirty_ & kStatus) draw_status();
    draw_input();  // last: the terminal's cursor is left where this window's is
    dirty_ = 0;
    doupdate();
  }

  void draw_header() {
    shown_header_ = header_line();
    werase(header_);
    wbkgd(header_, A_REVERSE);
    mvwaddstr(header_, 0, 0, clip_to_width(shown_header_, getmaxx(header_)).c_str());
    wnoutrefresh(header_);
  }

  void draw_chat() {
    werase(chat_);
    const int height = getmaxy(chat_);
    const int width = getmaxx(chat_);
    if (search_) {
      RoomLabels labels;
      for (const auto& room : c_.rooms()) labels[room.id] = room_label(room, names_);
      search_->draw(chat_, labels, me_, names_);
      return;
    }
    if (overlay_) {
      const auto help = overlay_(width);
      help_scroll_ = std::min(help_scroll_, std::max(0, static_cast<int>(help.size()) - height));
      for (int row = 0; row < height && help_scroll_ + row < static_cast<int>(help.size()); ++row)
        mvwaddstr(chat_, row, 0, clip_to_width(help[static_cast<std::size_t>(help_scroll_ + row)], width).c_str());
      wnoutrefresh(chat_);
      return;
    }
    reload_messages();
    lay_out_messages();
    if (jump_to_) jump_to_message(height);
    scroll_ = std::min(scroll_, max_scroll());
    const int total = static_cast<int>(lines_.size());
    const int first = std::max(0, total - height - scroll_);
    // Fewer lines than the pane: they sit at its bottom, next to the input line, as they will
    // once the pane is full.
    const int top = std::max(0, height - (total - first));
    for (int row = 0; top + row < height && first + row < total; ++row) {
      const ScreenLine& line = lines_[static_cast<std::size_t>(first + row)];
      if (line.kind == ScreenLine::Kind::message)
        draw_marked(chat_, top + row, line.text, {{line.handle_begin, line.handle_end}}, A_DIM);
      else
        draw_marked(chat_, top + row, line.text, {}, A_NORMAL, A_DIM);
    }
    wnoutrefresh(chat_);
    mark_read();
  }

  // A search result opened: its message in the middle of the pane, when this device holds it.
  void jump_to_message(int height) {
    const Seq seq = *jump_to_;
    jump_to_.reset();
    auto at = std::find_if(lines_.begin(), lines_.end(), [&](const ScreenLine& l) { return l.seq == seq; });
    if (at == lines_.end()) {
      notice_ = "#" + std::to_string(seq) + " is further back: PageUp loads older messages";
      dirty_ |= kStatus;
      return;
    }
    const int index = static_cast<int>(at - lines_.begin());
    scroll_ = std::max(0, static_cast<int>(lines_.size()) - height - index + height / 2);
    notice_ = "#" + std::to_string(seq) + (scroll_ > 0 ? " (PageDown for newer)" : "");
    dirty_ |= kStatus;
  }

  void draw_status() {
    shown_status_ = typing_line();
    std::string line = search_ && notice_.empty() ? search_->status()
                       : overlay_ ? "PageUp/PageDown scroll; any other key closes this"
                       : !notice_.empty() ? notice_
                       : scroll_ > 0 ? "scrolled back (PageDown for newer)" + (shown_status_.empty() ? "" : " - " + shown_status_)
                                     : shown_status_;
    werase(status_);
    wattron(status_, A_DIM);
    mvwhline(status_, 0, 0, ACS_HLINE, getmaxx(status_));
    wattroff(status_, A_DIM);
    if (!line.empty()) mvwaddstr(status_, 0, 1, clip_to_width(" " + line + " ", getmaxx(status_) - 2).c_str());
    wnoutrefresh(status_);
  }

  void draw_input() {
    const int width = getmaxx(input_);
    const auto view = editor_.view(width - 2);
    werase(input_);
    mvwaddstr(input_, 0, 0, "> ");
    waddstr(input_, view.visible.c_str());
    wmove(input_, 0, 2 + view.cursor_column);
    wnoutrefresh(input_);
  }

  Client& c_;
  RoomId room_;
  UserId me_;
  Names names_;
  bool names_stale_ = true;
  LineEditor editor_;
  std::string notice_;
  std::function<std::vector<std::string>(int)> overlay_;  // /help or /versions, in place of the messages
  std::optional<SearchView> search_;                       // /search's results, in place of the messages
  std::optional<Seq> pending_delete_;                      // /delete waits for y/n
  std::optional<Seq> jump_to_;                             // a search result to bring into view
  int help_scroll_ = 0;
  bool quit_ = false;
  bool room_gone_ = false;
  std::string farewell_;
  unsigned dirty_ = kAll;
  std::string shown_header_;
  std::string shown_status_;

  std::vector<Message> messages_;
  std::vector<ScreenLine> lines_;
  int laid_out_width_ = -1;
  std::size_t held_ = kFirstPage;
  int scroll_ = 0;  // lines scrolled back from the newest
  std::set<RoomId> at_top_;  // rooms whose first message is on this device
  std::unordered_map<RoomId, Seq> marked_;
  std::chrono::steady_clock::time_point last_typing_{};

  WINDOW* header_ = nullptr;
  WINDOW* rooms_ = nullptr;
  WINDOW* divider_ = nullptr;
  WINDOW* chat_ = nullptr;
  WINDOW* status_ = nullptr;
  WINDOW* input_ = nullptr;
};

}  // namespace

int cmd_chat(Client& c, std::int64_t room) {
  if (!c.me()) {
    std::cerr << "parley: not signed in; run `parley login USER` first\n";
    return kExitNotSignedIn;
  }
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
    std::cerr << "parley: chat needs a terminal\n";
    return kExitUsage;
  }
  go_online(c);  // and if not, the screen says offline and works from the local store
  if (!c.room(RoomId{room})) return report(Error{ErrorCode::not_found, "no room #" + std::to_string(room) + " on this device"});
  ChatScreen screen(c, RoomId{room});
  int code = screen.run();
  if (!screen.farewell().empty()) std::cerr << screen.farewell() << "\n";
  return code;
}

}  // namespace parley::cli
