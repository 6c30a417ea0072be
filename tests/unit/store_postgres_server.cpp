#include "store_postgres_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace parley::store::testing {
namespace {

// The server's system account: PostgreSQL refuses to run as root, so when the tests run as
// root the server commands run as this user instead.
constexpr const char* kServerAccount = "postgres";

std::string quoted(const std::string& text) {
  std::string result = "'";
  for (char c : text) {
    if (c == '\'')
      result += "'\\''";
    else
      result += c;
  }
  return result + "'";
}

// The first line a command prints, or "" when it fails.
std::string first_line_of(const std::string& command) {
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return {};
  char buffer[4096];
  std::string line;
  if (fgets(buffer, sizeof buffer, pipe)) line = buffer;
  if (pclose(pipe) != 0) return {};
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// Where the server binaries are: PARLEY_PG_BINDIR, else what pg_config says (Debian keeps them
// off PATH, under a versioned directory), else PATH (empty). Throws when none has initdb.
std::string find_bin_dir() {
  const char* hint = "install the postgresql package (scripts/setup does) or point PARLEY_PG_BINDIR at them";
  if (const char* configured = getenv("PARLEY_PG_BINDIR"); configured && *configured) {
    if (!std::filesystem::exists(std::filesystem::path(configured) / "initdb"))
      throw std::runtime_error(std::string("PARLEY_PG_BINDIR=") + configured + " holds no initdb: " + hint);
    return configured;
  }
  std::string from_pg_config = first_line_of("pg_config --bindir");
  if (!from_pg_config.empty() && std::filesystem::exists(std::filesystem::path(from_pg_config) / "initdb"))
    return from_pg_config;
  if (first_line_of("command -v initdb").empty())
    throw std::runtime_error(std::string("the PostgreSQL server binaries (initdb, pg_ctl) were not found: ") + hint);
  return {};
}

// A port nobody listens on now. Another process could take it before the server does; then
// the server fails to start and says so in its log.
int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("cannot open a socket to find a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  close(fd);
  if (port == 0) throw std::runtime_error("cannot find a free loopback port");
  return port;
}

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  constexpr std::size_t kTail = 2000;
  return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

}  // namespace

PostgresTestServer& PostgresTestServer::instance() {
  // Constructed on first use, destroyed at exit, which stops the server. A failed start is
  // not retried by every test: each one rethrows the same message.
  static std::string failure;
  if (!failure.empty()) throw std::runtime_error(failure);
  try {
    static PostgresTestServer server;
    return server;
  } catch (const std::exception& error) {
    failure = error.what();
    throw;
  }
}

PostgresTestServer::PostgresTestServer() {
  try {
    start();
  } catch (...) {
    // The destructor does not run for an object whose constructor threw.
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
    throw;
  }
}

void PostgresTestServer::start() {
  bin_dir_ = find_bin_dir();
  const std::filesystem::path initdb = bin_dir_.empty() ? "initdb" : std::filesystem::path(bin_dir_) / "initdb";

  std::string pattern = (std::filesystem::temp_directory_path() / "parley-pg-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory for PostgreSQL");
  directory_ = pattern;

  std::string as_server;  // the prefix that runs a server command as the server's account
  if (geteuid() == 0) {
    passwd* account = getpwnam(kServerAccount);
    if (!account)
      throw std::runtime_error(std::string("the tests run as root and PostgreSQL refuses root, but there is no '") +
                               kServerAccount + "' account to run it as: install the postgresql package");
    if (chown(directory_.c_str(), account->pw_uid, account->pw_gid) != 0)
      throw std::runtime_error("cannot give the temporary directory to the postgres account");
    as_server = std::string("runuser -u ") + kServerAccount + " -- ";
  }

  const std::string data = directory_ + "/data";
  // Two logs: the shell (this process's user) writes initdb's, the server account writes its own.
  const std::string init_log = directory_ + "/initdb.log";
  const std::string log = directory_ + "/server.log";
  const auto pg_ctl = bin_dir_.empty() ? std::filesystem::path("pg_ctl") : std::filesystem::path(bin_dir_) / "pg_ctl";
  // Trust on loopback and the private socket only; fsync off, as nothing here must survive a crash.
  const std::string init = as_server + quoted(initdb.string()) + " -D " + quoted(data) +
                           " -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >" + quoted(init_log) +
                           " 2>&1";
  if (std::system(init.c_str()) != 0)
    throw std::runtime_error("initdb failed:\n" + tail_of(init_log));

  port_ = free_loopback_port();
  const std::string options = "-p " + std::to_string(port_) + " -k " + directory_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
  const std::string start = as_server + quoted(pg_ctl.string()) + " -D " + quoted(data) + " -l " + quoted(log) +
                            " -w -o " + quoted(options) + " start >/dev/null 2>&1";
  started_ = std::system(start.c_str()) == 0;
  if (!started_) throw std::runtime_error("PostgreSQL did not start:\n" + tail_of(log));
}

PostgresTestServer::~PostgresTestServer() {
  if (started_) {
    const auto pg_ctl =
        bin_dir_.empty() ? std::filesystem::path("pg_ctl") : std::filesystem::path(bin_dir_) / "pg_ctl";
    const std::string as_server = geteuid() == 0 ? std::string("runuser -u ") + kServerAccount + " -- " : "";
    const std::string stop = as_server + quoted(pg_ctl.string()) + " -D " + quoted(directory_ + "/data") +
                             " -m immediate -w stop >/dev/null 2>&1";
    [[maybe_unused]] int ignored = std::system(stop.c_str());
  }
  std::error_code ignored;
  if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
}

std::string PostgresTestServer::client_command(const std::string& program, const std::string& arguments) const {
  const auto path = bin_dir_.empty() ? std::filesystem::path(program) : std::filesystem::path(bin_dir_) / program;
  return quoted(path.string()) + " -h 127.0.0.1 -p " + std::to_string(port_) + " -U postgres " + arguments;
}

std::string PostgresTestServer::create_database() {
  const std::string name = "t_" + std::to_string(++next_database_);
  const std::string log = directory_ + "/client.log";
  const std::string command = client_command("createdb", name) + " >" + quoted(log) + " 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("createdb failed:\n" + tail_of(log));
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=" + name;
}

void PostgresTestServer::drop_database(const std::string& name) noexcept {
  try {
    // In the background: the next test need not wait for it, and what is still running at exit
    // goes with the server.
    const std::string command = client_command("dropdb", "--force --if-exists " + name) + " >/dev/null 2>&1 &";
    [[maybe_unused]] int ignored = std::system(command.c_str());
  } catch (...) {
    // A database left behind goes with the server's directory at exit.
  }
}

}  // namespace parley::store::testing
