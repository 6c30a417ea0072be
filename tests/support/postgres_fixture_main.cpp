// postgres_fixture start|stop DIR: the PostgreSQL server that a whole test run shares, as CTest
// fixture steps. One server rather than one per test process keeps the run short; each test
// makes a database of its own on it (postgres_test_database.hpp).
//
//   start  starts a throwaway server (postgres_test_server.hpp), left running, and writes
//          DIR/admin_uri (what PARLEY_TEST_POSTGRES_FILE names) and DIR/server_directory;
//   stop   stops that server and deletes its files.
#include "support/postgres_test_server.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace {

using parley::test::PostgresTestServer;
namespace fs = std::filesystem;

// The server a previous start left, if any, stopped and forgotten.
void stop_server_of(const fs::path& dir) {
  std::ifstream in(dir / "server_directory");
  std::string server_directory;
  if (std::getline(in, server_directory) && !server_directory.empty())
    PostgresTestServer::stop_detached(server_directory);
  std::error_code ignored;
  fs::remove(dir / "server_directory", ignored);
  fs::remove(dir / "admin_uri", ignored);
}

void write_file(const fs::path& path, const std::string& line) {
  std::ofstream out(path, std::ios::trunc);
  out << line << '\n';
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

int start(const fs::path& dir) {
  // A run that was interrupted never stopped its server.
  stop_server_of(dir);
  fs::create_directories(dir);
  PostgresTestServer server;
  write_file(dir / "server_directory", server.directory().string());
  write_file(dir / "admin_uri", server.admin_uri());
  server.detach();
  std::cout << "PostgreSQL for the test run: " << server.admin_uri() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string_view(argv[1]) != "start" && std::string_view(argv[1]) != "stop")) {
    std::cerr << "usage: postgres_fixture start|stop DIR\n";
    return 2;
  }
  const fs::path dir = argv[2];
  try {
    if (std::string_view(argv[1]) == "start") return start(dir);
    stop_server_of(dir);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "postgres_fixture " << argv[1] << ": " << error.what() << '\n';
    return 1;
  }
}
