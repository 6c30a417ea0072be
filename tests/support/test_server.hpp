#pragma once
// A real parleyd process for one test (or one test suite): a free loopback port, a fresh data
// directory, its stdout and stderr captured to a log file inside that directory.
//
// Construction returns only once GET /healthz answers 200; a server that never gets ready or
// exits during start-up throws, with its log, and the test fails with that message.
// Create a TestServer on the thread that will destroy it: the child is told to die with the
// thread that started it, so a crashed test run leaves no server behind.
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace parley::test {

class TestServer {
 public:
  // `extra_flags` are passed to parleyd as given. The harness adds a very high rate limit
  // (tests send fast on purpose) unless the flags set their own --rate-limit / --rate-burst.
  explicit TestServer(std::vector<std::string> extra_flags = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string base_url() const;
  [[nodiscard]] const std::filesystem::path& data_dir() const { return data_dir_; }
  [[nodiscard]] bool running() const { return pid_ > 0; }

  // SIGTERM, then wait for the process. Returns its exit code, or 128 + signal number when a
  // signal ended it (as a shell reports it). A server that ignores SIGTERM is killed after a
  // bounded wait and the test fails.
  int stop();
  // SIGKILL, then wait: a crash, with no chance to flush or close anything.
  void kill();
  // Starts again on the same port and data directory (stopping it first if it runs).
  void restart();

  // Everything the server wrote to stdout and stderr so far, across restarts.
  [[nodiscard]] std::string log() const;

 private:
  enum class StartResult { ready, exited, timed_out };

  void start();  // spawn and wait for /healthz; throws on failure
  StartResult spawn_and_wait_ready(std::string& failure);
  [[nodiscard]] std::vector<std::string> command_line() const;
  [[nodiscard]] std::string command_line_text() const;
  int reap(bool block);         // waitpid; returns the shell-style status, -1 if still running

  std::vector<std::string> extra_flags_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool started_once_ = false;
};

}  // namespace parley::test
