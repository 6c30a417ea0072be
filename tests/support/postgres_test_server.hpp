#pragma once
// A throwaway PostgreSQL server: initdb into a new temporary directory, started with pg_ctl on a
// free loopback port with trust authentication, stopped and deleted with this object. Tests get
// a database of their own on it (postgres_scratch_database.hpp).
//
// PostgreSQL refuses to run as root: when the tests run as root, the server's commands run as
// the `postgres` account, which owns the temporary directory.
#include <filesystem>
#include <string>

namespace parley::test {

class PostgresTestServer {
 public:
  // Returns once the server accepts connections. Throws std::runtime_error saying what is missing
  // when it cannot start (the server binaries are not installed, say), with the end of its log.
  PostgresTestServer();
  // Stops the server (unless detached) and deletes its directory.
  ~PostgresTestServer();
  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;

  // A libpq URI of the server's `postgres` database as its superuser, for creating databases.
  [[nodiscard]] std::string admin_uri() const;
  // The temporary directory: data/, the socket, the logs.
  [[nodiscard]] const std::filesystem::path& directory() const { return directory_; }

  // Stops the server as a crash would (every connection breaks), keeping its data; start()
  // brings it back on the same port. For tests of what clients see while the database is away.
  void stop();
  void start();

  // Leaves the server running after this object is gone, for a test run that outlives the
  // process which started it (the CTest fixture); stop it with stop_detached(directory()).
  void detach() { detached_ = true; }
  // Stops a detached server and deletes its directory. Best effort: a server already gone is fine.
  static void stop_detached(const std::filesystem::path& directory) noexcept;

 private:
  std::filesystem::path directory_;
  int port_ = 0;
  bool running_ = false;
  bool detached_ = false;
};

}  // namespace parley::test
