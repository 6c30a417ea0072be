// parley: the terminal client. Every command goes through the SDK (libparley) alone.
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/profile.hpp"

using namespace parley;

namespace {

// A password from --password-stdin, else asked for on the terminal without echo.
std::string read_password(bool from_stdin) {
  std::string password;
  if (from_stdin || !isatty(STDIN_FILENO)) {
    std::getline(std::cin, password);
    return password;
  }
  std::cerr << "password: " << std::flush;
  termios saved{};
  tcgetattr(STDIN_FILENO, &saved);
  termios quiet = saved;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::getline(std::cin, password);
  tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << "\n";
  return password;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"parley: the Parley chat client for the terminal.\n"
               "Exit codes: 0 done, 1 refused by the server, 2 bad usage, 69 server unreachable, 77 not signed in."};
  app.require_subcommand(1);
  std::string server = "http://127.0.0.1:8080";
  app.add_option("--server", server, "the parleyd to talk to")->envname("PARLEY_SERVER")->capture_default_str();

  std::string user, password_unused, display_name, name, text, role = "member";
  std::vector<std::string> members;
  std::int64_t room = 0;
  int limit = 50;
  bool password_stdin = false;

  auto* reg = app.add_subcommand("register", "create an account and sign in");
  reg->add_option("username", user, "the new username")->required();
  reg->add_option("--display-name", display_name, "the name others see");
  reg->add_flag("--password-stdin", password_stdin, "read the password from standard input");
  auto* login = app.add_subcommand("login", "sign in (the session is kept in your config directory)");
  login->add_option("username", user)->required();
  login->add_flag("--password-stdin", password_stdin, "read the password from standard input");
  auto* logout = app.add_subcommand("logout", "sign out");
  auto* rooms = app.add_subcommand("rooms", "your rooms, with unread counts and presence");
  auto* dm = app.add_subcommand("dm", "the direct room with a user (created the first time); prints its id");
  dm->add_option("username", user)->required();
  auto* group = app.add_subcommand("group", "groups: create, add, remove, role");
  group->require_subcommand(1);
  auto* create = group->add_subcommand("create", "create a group; prints its id");
  create->add_option("name", name)->required();
  create->add_option("--member", members, "a username to add (repeatable)");
  auto* add = group->add_subcommand("add", "add a member (admins only)");
  add->add_option("room", room)->required();
  add->add_option("username", user)->required();
  add->add_option("--role", role, "admin or member")->check(CLI::IsMember({"admin", "member"}));
  auto* remove = group->add_subcommand("remove", "remove a member (admins only)");
  remove->add_option("room", room)->required();
  remove->add_option("username", user)->required();
  auto* set_role = group->add_subcommand("role", "make a member admin or member (admins only)");
  set_role->add_option("room", room)->required();
  set_role->add_option("username", user)->required();
  set_role->add_option("role", role)->required()->check(CLI::IsMember({"admin", "member"}));
  auto* send = app.add_subcommand("send", "send a text message (queued on disk when offline)");
  send->add_option("room", room)->required();
  send->add_option("text", text)->required();
  std::string path, type, output;
  std::int64_t seq = 0;
  auto* send_file = app.add_subcommand("send-file", "send a file as an image, file, audio or video message (queued on disk when offline)");
  send_file->add_option("room", room)->required();
  send_file->add_option("path", path, "the file")->required()->check(CLI::ExistingFile);
  send_file->add_option("--type", type, "image, file, audio or video (default: from the file's extension)")
      ->check(CLI::IsMember({"image", "file", "audio", "video"}));
  send_file->add_option("--caption", text, "text shown with the file");
  auto* download = app.add_subcommand("download", "download a message's file (SEQ as `history` shows it); prints its path");
  download->add_option("room", room)->required();
  download->add_option("seq", seq, "the message's number in the room")->required()->check(CLI::PositiveNumber);
  download->add_option("--output,-o", output, "copy the file there instead of printing the cached copy's path");
  auto* history = app.add_subcommand("history", "the room's messages, newest last");
  history->add_option("room", room)->required();
  history->add_option("--limit", limit, "how many")->check(CLI::Range(1, 10000));
  auto* chat = app.add_subcommand("chat", "full-screen chat in a room");
  chat->add_option("room", room)->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? cli::kExitOk : cli::kExitUsage;
  }

  auto client = cli::open_profile(server);
  if (!client) return cli::report(client.error());
  Client& c = **client;

  if (*reg) return cli::cmd_register(c, user, read_password(password_stdin), display_name);
  if (*login) return cli::cmd_login(c, user, read_password(password_stdin));
  if (*logout) return cli::cmd_logout(c);
  if (*rooms) return cli::cmd_rooms(c);
  if (*dm) return cli::cmd_dm(c, user);
  if (*create) return cli::cmd_group_create(c, name, members);
  if (*add) return cli::cmd_group_add(c, room, user, role);
  if (*remove) return cli::cmd_group_remove(c, room, user);
  if (*set_role) return cli::cmd_group_role(c, room, user, role);
  if (*send) return cli::cmd_send(c, room, text);
  if (*send_file) return cli::cmd_send_file(c, room, path, type, text);
  if (*download) return cli::cmd_download(c, room, seq, output);
  if (*history) return cli::cmd_history(c, room, limit);
  if (*chat) return cli::cmd_chat(c, room);
  return cli::kExitUsage;
}
