#include "support/shared_postgres.hpp"

#include "support/postgres_test_server.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace parley::test {

std::optional<std::string> run_postgres_admin_uri() {
  const char* file = std::getenv(kPostgresFileVariable);
  if (file == nullptr || *file == '\0') return std::nullopt;
  std::ifstream in(file);
  std::string uri;
  std::getline(in, uri);
  if (uri.empty())
    throw std::runtime_error(std::string(kPostgresFileVariable) + "=" + file +
                             " holds no PostgreSQL URI: the PostgreSQL fixture (postgres.start) did not start it");
  return uri;
}

std::string postgres_admin_uri() {
  if (auto shared = run_postgres_admin_uri()) return *shared;
  // Started on first use, stopped at exit. A failed start is not retried by every test: each
  // one rethrows the same message.
  static std::string failure;
  if (!failure.empty()) throw std::runtime_error(failure);
  try {
    static PostgresTestServer server;
    return server.admin_uri();
  } catch (const std::exception& error) {
    failure = error.what();
    throw;
  }
}

}  // namespace parley::test
