#include "sdk_fixture.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cstdlib>

namespace parley::sdk_test {

std::unique_ptr<Client> open_client(const test::TestServer& server, const std::filesystem::path& dir) {
  ClientOptions options;
  options.server = server.base_url();
  options.data_dir = dir;
  options.reconnect_min = 50ms;
  options.reconnect_max = 500ms;
  return must(Client::open(options), "open the client");
}

std::unique_ptr<Client> online_client(const test::TestServer& server, const std::filesystem::path& dir,
                                      const std::string& username, bool register_first) {
  auto client = open_client(server, dir);
  if (register_first) must(client->register_account(username, "password-" + username), "register");
  else must(client->login(username, "password-" + username), "login");
  client->connect();
  if (!client->wait_online(15s)) throw std::runtime_error(username + " never came online");
  return client;
}

Pair direct_pair(const test::TestServer& server, const ScratchDir& dirs) {
  Pair p;
  p.bob = online_client(server, dirs.sub("bob"), "bob");
  p.alice = online_client(server, dirs.sub("alice"), "alice");
  p.room = must(p.alice->direct_room("bob"), "direct room");
  if (!eventually([&] { return p.bob->room(p.room.id).has_value(); })) throw std::runtime_error("bob never saw the room");
  return p;
}

int run_process(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

void run_local_sql(const std::filesystem::path& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  const auto path = (data_dir / "parley-client.db").string();
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string why = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("SQL on the local database failed: " + why);
}

std::vector<std::string> local_rows(const std::filesystem::path& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  const auto path = (data_dir / "parley-client.db").string();
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
  sqlite3_busy_timeout(db, 5000);
  std::vector<std::string> rows;
  auto collect = [](void* out, int columns, char** values, char**) {
    static_cast<std::vector<std::string>*>(out)->emplace_back(columns > 0 && values[0] ? values[0] : "");
    return 0;
  };
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), collect, &rows, &error);
  const std::string why = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("SQL on the local database failed: " + why);
  return rows;
}

}  // namespace parley::sdk_test
