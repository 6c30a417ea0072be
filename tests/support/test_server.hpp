#pragma once
// A real parleyd process for one test (or one test suite): a free loopback port, a fresh data
// directory, its stdout and stderr captured to a log file inside that directory.
//
// Its store is SQLite in that data directory; or, when the test run shares a PostgreSQL server
// (PARLEY_TEST_POSTGRES_FILE, shared_postgres.hpp), a fresh database of its own on it, kept
// across restarts and dropped with the TestServer; or the database that options.store_uri names.
//
// Construction returns only once GET /healthz answers 200; a server that never gets ready or
// exits during start-up throws, with its log, and the test fails with that message.
// Create a TestServer on the thread that will destroy it: the child is told to die with the
// thread that started it, so a crashed test run leaves no server behind.
#include "support/child_process.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::test {

class PostgresTestDatabase;

struct TestServerOptions {
  // Passed to parleyd as given. The harness adds a very high rate limit (tests send fast on
  // purpose) unless the flags set their own --rate-limit / --rate-burst.
  std::vector<std::string> extra_flags;
  // A PostgreSQL database ("postgresql://...") for --store, which several servers may share as
  // the nodes of a cluster do. The caller owns it. Empty: a store of the server's own.
  std::string store_uri;
  // True once the server answers on `port`. Empty: GET /healthz over plain HTTP answers 200
  // (a server with --tls-cert needs a probe that speaks TLS).
  std::function<bool(int port)> ready_probe;
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions options);
  explicit TestServer(std::vector<std::string> extra_flags = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string base_url() const;
  [[nodiscard]] const std::filesystem::path& data_dir() const { return data_dir_; }
  [[nodiscard]] bool running() const { return process_.running(); }
  // What --store names: a PostgreSQL URI, or "" for SQLite in the data directory.
  [[nodiscard]] const std::string& store_uri() const { return store_uri_; }

  // SIGTERM, then wait for the process. Returns its exit code, or 128 + signal number when a
  // signal ended it (as a shell reports it). The test fails when that is not 0, when the server
  // had exited before, or when it ignores SIGTERM (it is then killed after a bounded wait).
  int stop();
  // Sends `signal` (SIGHUP, say) and returns at once.
  void signal(int signal) { process_.send_signal(signal); }
  // SIGKILL, then wait: a crash, with no chance to flush or close anything. The test fails when
  // the server had exited before.
  void kill();
  // Starts again on the same port and data directory (stopping it first if it runs).
  void restart();

  // Everything the server wrote to stdout and stderr so far, across restarts.
  [[nodiscard]] std::string log() const;

 private:
  enum class StartResult { ready, exited, timed_out };

  void start();  // spawn and wait for /healthz; throws on failure
  StartResult spawn_and_wait_ready(std::string& failure);
  // Its exit status, reaping it and failing the test, when the process ended without being
  // asked to.
  std::optional<int> exited_by_itself();
  [[nodiscard]] std::vector<std::string> command_line() const;
  [[nodiscard]] std::string command_line_text() const;

  std::vector<std::string> extra_flags_;
  std::function<bool(int port)> ready_probe_;
  std::unique_ptr<PostgresTestDatabase> own_database_;  // dropped after the server has stopped
  std::string store_uri_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  int port_ = 0;
  bool started_once_ = false;
  ChildProcess process_;
};

}  // namespace parley::test
