// `parley chat ROOM`: a full-screen chat in the terminal, drawn with plain ANSI sequences.
// Messages arrive as they come, with who is typing, the other member's presence and the state
// of one's own messages; Up/PageUp scroll back (loading older pages), Enter sends, Ctrl-D or
// /quit leaves. Offline it keeps working: what is written waits in the outbox, shown pending.
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/safe_text.hpp"

namespace parley::cli {

using namespace std::chrono_literals;

namespace {

// How often typing.start is repeated while the user keeps typing: well inside the server's
// expiry, so the indicator stays on without a flood.
constexpr auto kTypingRefresh = 3s;
constexpr auto kRedrawEvery = 250ms;  // presence ("last seen") and connection changes

// Raw keys in, alternate screen out; restored on every way out.
class Terminal {
 public:
  Terminal() {
    if (tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios raw = saved_;
      raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG));
      raw.c_cc[VMIN] = 0;
      raw.c_cc[VTIME] = 0;
      restore_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    std::cout << "\x1b[?1049h\x1b[H\x1b[2J" << std::flush;
  }
  ~Terminal() {
    std::cout << "\x1b[?1049l" << std::flush;
    if (restore_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  static std::pair<int, int> size() {
    winsize w{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row > 4 && w.ws_col > 10) return {w.ws_row, w.ws_col};
    return {24, 80};
  }

 private:
  termios saved_{};
  bool restore_ = false;
};

class ChatScreen {
 public:
  ChatScreen(Client& client, RoomId room) : c_(client), room_(room), me_(client.me()->id) {}

  int run() {
    Terminal terminal;
    refresh_names();
    bool dirty = true;
    c_.set_observer({.connection = [&](ConnectionState) { dirty = true; },
                     .message = [&](const Message& m) {
                       if (m.room_id == room_) dirty = true;
                       if (m.type == "system" && m.room_id == room_) names_stale_ = true;
                     },
                     .room = [&](const Room& r) { dirty |= r.id == room_; },
                     .receipts = [&](RoomId r) { dirty |= r == room_; },
                     .room_removed = [&](RoomId r) { gone_ |= r == room_; },
                     .typing = [&](RoomId r, const std::vector<UserId>&) { dirty |= r == room_; },
                     .presence = [&](const Presence&) { dirty = true; }});
    auto last_draw = std::chrono::steady_clock::now();
    while (!quit_ && !gone_) {
      pollfd input{STDIN_FILENO, POLLIN, 0};
      if (poll(&input, 1, 50) > 0) dirty |= read_keys();
      if (c_.drain() > 0) dirty = true;
      if (names_stale_ && c_.connection_state() == ConnectionState::online) refresh_names();
      auto now = std::chrono::steady_clock::now();
      if (dirty || now - last_draw > kRedrawEvery) {
        draw();
        mark_read();
        dirty = false;
        last_draw = now;
      }
    }
    if (gone_) std::cerr << "parley: you are no longer in this room\n";
    return kExitOk;
  }

 private:
  void refresh_names() {
    auto names = member_names(c_, room_);
    if (!names.empty()) {
      names_ = std::move(names);
      names_stale_ = false;
    }
  }

  std::string name_of(UserId id) const {
    auto it = names_.find(id);
    return it == names_.end() ? "user " + std::to_string(id.value) : it->second;
  }

  // Returns true when the screen must change.
  bool read_keys() {
    char buffer[256];
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) return false;
    for (ssize_t i = 0; i < n; ++i) {
      unsigned char k = static_cast<unsigned char>(buffer[i]);
      if (k == 3 || k == 4) quit_ = true;  // Ctrl-C, Ctrl-D
      else if (k == '\r' || k == '\n') submit();
      else if (k == 127 || k == 8) { if (!input_.empty()) input_.pop_back(); }
      else if (k == 0x1b && i + 2 < n && buffer[i + 1] == '[') {
        char code = buffer[i + 2];
        if (code == 'A' || code == '5') scroll(+3);
        if (code == 'B' || code == '6') scroll(-3);
        i += (code == '5' || code == '6') ? 3 : 2;  // PageUp/PageDown end with '~'
      } else if (k >= 0x20) {
        input_ += static_cast<char>(k);
        typing();
      }
    }
    return true;
  }

  void submit() {
    std::string text = input_;
    input_.clear();
    if (text == "/quit") return void(quit_ = true);
    if (text.find_first_not_of(' ') == std::string::npos) return;
    if (auto sent = c_.send_text(room_, text); !sent) notice_ = sent.error().message;
    scroll_ = 0;
    last_typing_ = {};
  }

  void typing() {
    auto now = std::chrono::steady_clock::now();
    if (now - last_typing_ < kTypingRefresh || c_.connection_state() != ConnectionState::online) return;
    last_typing_ = now;
    (void)c_.start_typing(room_);
  }

  void scroll(int lines) {
    scroll_ = std::max(0, scroll_ + lines);
    auto held = c_.messages(room_, 100000);
    if (scroll_ + 20 > static_cast<int>(held.size()) && c_.connection_state() == ConnectionState::online)
      (void)c_.load_older(room_, 50);
  }

  void mark_read() {
    if (scroll_ != 0 || c_.connection_state() != ConnectionState::online) return;
    auto room = c_.room(room_);
    if (room && room->last_seq > room->read_seq && room->last_seq > marked_) {
      marked_ = room->last_seq;
      (void)c_.mark_read(room_, room->last_seq);
    }
  }

  void draw() {
    auto [rows, cols] = Terminal::size();
    auto room = c_.room(room_);
    std::string title = room ? (room->kind == "direct" && room->peer ? name_of(*room->peer) : shown(room->name)) : "?";
    std::string header = "Parley - " + title + " - " + to_string(c_.connection_state());
    if (room && room->kind == "direct" && room->peer)
      if (auto p = c_.presence(*room->peer)) header += " - " + name_of(*room->peer) + " " + describe(*p);

    const int body = rows - 4;
    auto messages = c_.messages(room_, static_cast<std::size_t>(body + scroll_ + 50));
    std::vector<std::string> lines;
    for (const auto& m : messages) lines.push_back(describe(m, me_, names_));
    int last = static_cast<int>(lines.size()) - scroll_;
    int first = std::max(0, last - body);

    std::string typing_line;
    for (UserId u : c_.typing(room_)) typing_line += (typing_line.empty() ? "" : ", ") + name_of(u);
    if (!typing_line.empty()) typing_line += " is typing...";
    if (!notice_.empty()) typing_line = notice_;

    std::string out = "\x1b[H\x1b[2J\x1b[7m" + header.substr(0, static_cast<std::size_t>(cols)) + "\x1b[0m\r\n";
    for (int i = first; i < std::max(first, last); ++i) out += lines[static_cast<std::size_t>(i)].substr(0, static_cast<std::size_t>(cols)) + "\r\n";
    out += "\x1b[" + std::to_string(rows - 2) + ";1H" + typing_line.substr(0, static_cast<std::size_t>(cols));
    out += "\x1b[" + std::to_string(rows - 1) + ";1H" + std::string(static_cast<std::size_t>(cols), '-');
    out += "\x1b[" + std::to_string(rows) + ";1H> " + input_;
    std::cout << out << std::flush;
  }

  Client& c_;
  RoomId room_;
  UserId me_;
  Names names_;
  bool names_stale_ = false;
  std::string input_;
  std::string notice_;
  int scroll_ = 0;  // lines scrolled back from the newest
  Seq marked_ = 0;
  bool quit_ = false;
  bool gone_ = false;
  std::chrono::steady_clock::time_point last_typing_{};
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
  return ChatScreen(c, RoomId{room}).run();
}

}  // namespace parley::cli
