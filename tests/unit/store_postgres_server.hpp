#pragma once
// A throwaway PostgreSQL server for the store tests: started on first use by the test process,
// on a free loopback port, its data and socket in a temporary directory; stopped and deleted
// when the process exits. Each test gets a database of its own on it.
#include <string>

namespace parley::store::testing {

class PostgresTestServer {
 public:
  // The server, started if need be. Throws std::runtime_error saying what is missing when it
  // cannot start (the PostgreSQL server binaries are not installed, say): the test then fails.
  static PostgresTestServer& instance();

  // Creates an empty database and returns its libpq connection string.
  [[nodiscard]] std::string create_database();
  // Drops a database made by create_database, closing any connection still on it.
  void drop_database(const std::string& name) noexcept;

  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;
  ~PostgresTestServer();

 private:
  PostgresTestServer();
  void start();
  [[nodiscard]] std::string client_command(const std::string& program, const std::string& arguments) const;

  std::string bin_dir_;    // where initdb, pg_ctl and psql are; empty: found on PATH
  std::string directory_;  // the temporary directory: data/, the socket, server.log
  int port_ = 0;
  int next_database_ = 0;
  bool started_ = false;
};

}  // namespace parley::store::testing
