#include "support/postgres_test_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <stdexcept>

namespace parley::test {
namespace {

std::string unique_database_name() {
  static std::atomic<int> counter{0};
  return "parley_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

// The URI with its database (the path after host:port) replaced; any ?parameters are kept.
std::string with_database(const std::string& uri, const std::string& database) {
  const std::size_t query = uri.find('?');
  const std::string base = uri.substr(0, query);
  const std::size_t authority = base.find("://");
  const std::size_t path = base.find('/', authority == std::string::npos ? 0 : authority + 3);
  const std::string server = path == std::string::npos ? base : base.substr(0, path);
  return server + "/" + database + (query == std::string::npos ? "" : uri.substr(query));
}

// One statement on a new connection; throws with the server's message.
void execute(const std::string& uri, const std::string& statement) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(uri.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to PostgreSQL at " + uri + ": " + PQerrorMessage(connection.get()));
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), statement.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error(statement + ": " + PQerrorMessage(connection.get()));
}

}  // namespace

PostgresTestDatabase::PostgresTestDatabase(std::string admin_uri)
    : admin_uri_(std::move(admin_uri)), name_(unique_database_name()), uri_(with_database(admin_uri_, name_)) {
  execute(admin_uri_, "CREATE DATABASE " + name_);
}

PostgresTestDatabase::~PostgresTestDatabase() {
  try {
    execute(admin_uri_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

}  // namespace parley::test
