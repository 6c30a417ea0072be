#pragma once
// An empty database of its own for one test (or one TestServer) on a PostgreSQL server, dropped
// with this object: tests on one server never see each other's rows.
#include <string>

namespace parley::test {

class PostgresTestDatabase {
 public:
  // Creates the database through `admin_uri`, a libpq URI "postgresql://user@host:port/db" of a
  // role allowed to create databases. Throws with the server's message when it cannot.
  explicit PostgresTestDatabase(std::string admin_uri);
  // Drops the database, closing any connection still on it. Best effort: whatever is left
  // goes with the throwaway server.
  ~PostgresTestDatabase();
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  // The database's URI: the admin URI naming this database instead.
  [[nodiscard]] const std::string& uri() const { return uri_; }
  // Unique across the processes of a test run: the process id and a counter.
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  std::string admin_uri_;
  std::string name_;
  std::string uri_;
};

}  // namespace parley::test
