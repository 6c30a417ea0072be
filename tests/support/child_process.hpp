#pragma once
// A server process that a test starts, stops, kills and starts again (parleyd, nats-server).
//
// Its stdin is /dev/null and its stdout and stderr are appended to a log file. It is told to die
// (SIGKILL) with the thread that started it, so that a crashed test run leaves no server behind:
// start it on the thread that will stop it.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace parley::test {

class ChildProcess {
 public:
  ChildProcess() = default;
  // A child still running is killed and reaped: no test leaves a process behind.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts the program at the path argv[0] (not looked up on PATH) with these arguments.
  // Throws when it cannot fork; a program that cannot be executed exits with status 127 and a
  // line in the log.
  void start(const std::vector<std::string>& argv, const std::filesystem::path& log_path);

  [[nodiscard]] bool running() const { return pid_ > 0; }

  // Its exit status once it has ended (reaping it), as a shell reports it: the exit code, or
  // 128 + the number of the signal that ended it. Never blocks.
  [[nodiscard]] std::optional<int> poll();
  // The same, waiting at most `limit` for it to end.
  [[nodiscard]] std::optional<int> wait_for(std::chrono::milliseconds limit);
  // Sends `signal` to a running child; nothing otherwise.
  void send_signal(int signal);
  // SIGKILL, then waits: a crash, with no chance to flush or close anything. Its exit status.
  int kill();

 private:
  std::optional<int> reap(bool block);

  pid_t pid_ = -1;
};

}  // namespace parley::test
