// The parleyd under test: either a fresh one the bench starts (on a free loopback port, with a
// temporary data directory, optionally pinned to one CPU) or one already running at a URL.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace parley::bench {

struct ServerOptions {
  std::string parleyd;                 // the binary to start
  std::string url;                     // when set, use this running server instead
  int cpu = -1;                        // pin the started server to this CPU (like taskset -c)
  pid_t pid = 0;                       // with url: the server's pid, to read its memory
  std::vector<std::string> extra_args; // more parleyd flags, passed as given
  // Registration of thousands of users would spend minutes in argon2id at the server's
  // default cost (19 MiB per hash); the bench measures messaging, not password hashing.
  unsigned password_memory_kib = 64;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options);
  ~ServerProcess();  // stops a server the bench started
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts it (or checks the given URL answers /healthz). Throws with the log's tail on failure.
  void start();
  // SIGTERM, then SIGKILL after a grace period. Returns the exit status (-1 if not ours).
  int stop();

  [[nodiscard]] const std::string& host() const { return host_; }
  [[nodiscard]] unsigned short port() const { return port_; }
  [[nodiscard]] bool managed() const { return options_.url.empty(); }
  [[nodiscard]] bool alive();
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::vector<std::string>& command() const { return command_; }
  [[nodiscard]] const std::string& data_dir() const { return data_dir_; }  // empty for a server not started here
  [[nodiscard]] const ServerOptions& options() const { return options_; }
  // VmRSS of the server process in KiB, when its pid is known.
  [[nodiscard]] std::optional<long> rss_kib() const;
  // CPU time (user + system) the server process has used so far, in seconds, when its pid is
  // known. Its difference over a phase, against the work done, tells what the server could do
  // with a whole core, whatever the load generator's own core could keep up with.
  [[nodiscard]] std::optional<double> cpu_seconds() const;
  [[nodiscard]] std::string log_tail() const;

 private:
  ServerOptions options_;
  std::string host_ = "127.0.0.1";
  unsigned short port_ = 0;
  pid_t pid_ = 0;
  std::string data_dir_;
  std::vector<std::string> command_;
};

[[nodiscard]] std::optional<long> read_rss_kib(pid_t pid);
// VmHWM: the most resident memory the process has had at any moment since it started.
[[nodiscard]] std::optional<long> read_peak_rss_kib(pid_t pid);
[[nodiscard]] std::optional<double> read_cpu_seconds(pid_t pid);

}  // namespace parley::bench
