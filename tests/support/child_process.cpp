#include "support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace parley::test {
namespace {

// How often wait_for looks again: short next to a server's start-up or shutdown.
constexpr auto kPollInterval = std::chrono::milliseconds(20);

int shell_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 255;
}

}  // namespace

ChildProcess::~ChildProcess() {
  if (running()) kill();
}

void ChildProcess::start(const std::vector<std::string>& args, const std::filesystem::path& log_path) {
  if (running()) throw std::logic_error("ChildProcess::start while " + args.at(0) + " still runs");
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open the log " + log_path.string());
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(log_fd);
    throw std::runtime_error("cannot open /dev/null");
  }
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(log_fd);
    ::close(null_fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(error));
  }
  if (pid == 0) {
    // Child of a multithreaded process: async-signal-safe calls only, until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);  // the parent died before prctl took effect
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    // The test's own sockets must not leak into the child, or connections the test closes
    // would stay open in the child's process.
    ::close_range(3, ~0U, 0);
    // The child starts with default signal handling, whatever the test process changed.
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    const char message[] = "exec failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  pid_ = pid;
}

std::optional<int> ChildProcess::reap(bool block) {
  if (pid_ <= 0) return std::nullopt;
  int wait_status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &wait_status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return std::nullopt;
  pid_ = -1;
  return r < 0 ? 255 : shell_status(wait_status);
}

std::optional<int> ChildProcess::poll() { return reap(false); }

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (auto status = reap(false)) return status;
    if (!running() || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

void ChildProcess::send_signal(int signal) {
  if (running()) ::kill(pid_, signal);
}

int ChildProcess::kill() {
  if (!running()) return 0;
  ::kill(pid_, SIGKILL);
  return reap(true).value_or(255);
}

}  // namespace parley::test
