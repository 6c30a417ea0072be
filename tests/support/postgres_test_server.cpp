#include "support/postgres_test_server.hpp"

#include "support/loopback_port.hpp"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace parley::test {
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
std::filesystem::path find_bin_dir() {
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

std::string server_program(const std::filesystem::path& bin_dir, const std::string& name) {
  return quoted(bin_dir.empty() ? name : (bin_dir / name).string());
}

// The prefix that runs a server command as the server's account ("" when not root).
std::string as_server_account() {
  return geteuid() == 0 ? std::string("runuser -u ") + kServerAccount + " -- " : std::string();
}

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  constexpr std::size_t kTail = 2000;
  return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

std::filesystem::path make_server_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-pg-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory for PostgreSQL");
  std::filesystem::path directory = pattern;
  if (geteuid() == 0) {
    passwd* account = getpwnam(kServerAccount);
    if (!account) {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
      throw std::runtime_error(std::string("the tests run as root and PostgreSQL refuses root, but there is no '") +
                               kServerAccount + "' account to run it as: install the postgresql package");
    }
    if (chown(directory.c_str(), account->pw_uid, account->pw_gid) != 0) {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
      throw std::runtime_error("cannot give the temporary directory to the postgres account");
    }
  }
  return directory;
}

}  // namespace

PostgresTestServer::PostgresTestServer() : directory_(make_server_directory()) {
  try {
    const std::filesystem::path bin_dir = find_bin_dir();
    const std::string data = (directory_ / "data").string();
    // Two logs: the shell (this process's user) writes initdb's, the server account writes its own.
    const auto init_log = directory_ / "initdb.log";
    // Trust on loopback and the private socket only; no syncs, as nothing here must survive a crash.
    const std::string init = as_server_account() + server_program(bin_dir, "initdb") + " -D " + quoted(data) +
                             " -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >" +
                             quoted(init_log.string()) + " 2>&1";
    if (std::system(init.c_str()) != 0) throw std::runtime_error("initdb failed:\n" + tail_of(init_log));

    port_ = free_loopback_port();
    start();
  } catch (...) {
    // The destructor does not run for an object whose constructor threw.
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
    throw;
  }
}

void PostgresTestServer::start() {
  const std::filesystem::path bin_dir = find_bin_dir();
  const std::string data = (directory_ / "data").string();
  const auto log = directory_ / "server.log";
  // Room for every parleyd of a cluster test and its sessions, next to a store test.
  const std::string options = "-p " + std::to_string(port_) + " -k " + directory_.string() +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
  const std::string start = as_server_account() + server_program(bin_dir, "pg_ctl") + " -D " + quoted(data) +
                            " -l " + quoted(log.string()) + " -w -o " + quoted(options) + " start >/dev/null 2>&1";
  if (std::system(start.c_str()) != 0) throw std::runtime_error("PostgreSQL did not start:\n" + tail_of(log));
  running_ = true;
}

void PostgresTestServer::stop() {
  if (!running_) return;
  // Immediate, as a crash: every client connection breaks without a goodbye.
  const std::string stop = as_server_account() + server_program(find_bin_dir(), "pg_ctl") + " -D " +
                           quoted((directory_ / "data").string()) + " -m immediate -w stop >/dev/null 2>&1";
  if (std::system(stop.c_str()) != 0) throw std::runtime_error("PostgreSQL did not stop");
  running_ = false;
}

PostgresTestServer::~PostgresTestServer() {
  if (detached_) return;
  if (running_) {
    stop_detached(directory_);
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string PostgresTestServer::admin_uri() const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

void PostgresTestServer::stop_detached(const std::filesystem::path& directory) noexcept {
  try {
    if (std::filesystem::exists(directory / "data" / "postmaster.pid")) {
      // Immediate: nothing in a throwaway server is worth a checkpoint.
      const std::string stop = as_server_account() + server_program(find_bin_dir(), "pg_ctl") + " -D " +
                               quoted((directory / "data").string()) + " -m immediate -w stop >/dev/null 2>&1";
      [[maybe_unused]] int ignored = std::system(stop.c_str());
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  } catch (...) {
    // Best effort: what is left is a temporary directory.
  }
}

}  // namespace parley::test
