#include "support/test_server.hpp"

#include "support/http_client.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace parley::test {
namespace {

using namespace std::chrono_literals;

// Bounds that only exist so that a broken server fails the test instead of hanging it.
constexpr auto kReadyTimeout = 30s;     // start-up runs migrations on an empty database
constexpr auto kStopTimeout = 20s;      // a clean shutdown drains connections and the store
constexpr auto kPollInterval = 20ms;
constexpr int kStartAttempts = 3;       // see start(): another process may grab the free port
constexpr std::size_t kLogTailBytes = 8000;

// The kernel picks a free port for a socket bound to port 0; the socket is closed again so
// parleyd can bind it. Another process could take the port in between, which start() survives
// by trying again with a new port.
int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw std::runtime_error(std::string("bind to a free port: ") + std::strerror(err));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::filesystem::path make_data_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  return pattern;
}

std::string tail(const std::string& text) {
  if (text.size() <= kLogTailBytes) return text;
  return "...\n" + text.substr(text.size() - kLogTailBytes);
}

int shell_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

bool flag_given(const std::vector<std::string>& flags, std::string_view name) {
  for (const auto& f : flags) {
    if (f == name) return true;
    if (f.size() > name.size() && f.starts_with(name) && f[name.size()] == '=') return true;
  }
  return false;
}

bool healthz_ok(int port) {
  try {
    HttpRequest req;
    req.target = "/healthz";
    req.timeout = 2s;
    HttpResponse res = send_http(port, req);
    return res.status == 200 && res.json.is_object() &&
           res.json.as_object().contains("status") &&
           res.json.as_object().at("status") == "ok";
  } catch (const std::exception&) {
    return false;  // not listening yet
  }
}

}  // namespace

TestServer::TestServer(std::vector<std::string> extra_flags)
    : extra_flags_(std::move(extra_flags)), data_dir_(make_data_dir()),
      log_path_(data_dir_ / "parleyd.log") {
  try {
    port_ = free_loopback_port();
    start();
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
    throw;
  }
}

TestServer::~TestServer() {
  try {
    if (running()) stop();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "stopping parleyd: " << e.what();
  }
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- parleyd log (" << log_path_.filename().string() << ") ----\n"
              << tail(log()) << "\n---- end of parleyd log ----\n";
  }
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

std::string TestServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string TestServer::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> TestServer::command_line() const {
  std::vector<std::string> args = {PARLEYD_PATH,  "--host",     "127.0.0.1",
                                   "--port",      std::to_string(port_),
                                   "--data-dir",  data_dir_.string()};
  // Tests send as fast as they can; only the test of flooding wants the limiter to bite.
  if (!flag_given(extra_flags_, "--rate-limit")) args.insert(args.end(), {"--rate-limit", "1000000"});
  if (!flag_given(extra_flags_, "--rate-burst")) args.insert(args.end(), {"--rate-burst", "1000000"});
  if (!flag_given(extra_flags_, "--log-level")) args.insert(args.end(), {"--log-level", "warn"});
  args.insert(args.end(), extra_flags_.begin(), extra_flags_.end());
  return args;
}

std::string TestServer::command_line_text() const {
  std::string text;
  for (const auto& arg : command_line()) text += " " + arg;
  return text;
}

void TestServer::start() {
  std::string failure;
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    const StartResult result = spawn_and_wait_ready(failure);
    if (result == StartResult::ready) {
      started_once_ = true;
      return;
    }
    // Only a server that exits at once is tried again: a fresh one most likely lost its port
    // to another process. A restart keeps its port, as clients and tests expect the address.
    if (result != StartResult::exited) break;
    if (!started_once_) port_ = free_loopback_port();
  }
  throw std::runtime_error("parleyd did not start: " + failure + "\ncommand line:" + command_line_text() +
                           "\n---- parleyd log ----\n" + tail(log()));
}

TestServer::StartResult TestServer::spawn_and_wait_ready(std::string& failure) {
  const std::vector<std::string> args = command_line();
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open the server log " + log_path_.string());
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(log_fd);
    throw std::runtime_error("cannot open /dev/null");
  }
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Child of a multithreaded process: async-signal-safe calls only, until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    // The test's own sockets must not leak into the server, or connections the test closes
    // would stay open in the server's process.
    ::close_range(3, ~0U, 0);
    // The server starts with default signal handling, whatever the test process changed.
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    const char msg[] = "exec of parleyd failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (int status = reap(false); status >= 0) {
      failure = "it exited with status " + std::to_string(status) + " during start-up";
      return StartResult::exited;
    }
    if (healthz_ok(port_)) return StartResult::ready;
    std::this_thread::sleep_for(kPollInterval);
  }
  kill();
  failure = "GET /healthz did not answer 200 {\"status\":\"ok\"} within " +
            std::to_string(std::chrono::seconds(kReadyTimeout).count()) + " s";
  return StartResult::timed_out;
}

int TestServer::reap(bool block) {
  if (pid_ <= 0) return -1;
  int wait_status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &wait_status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return -1;
  pid_ = -1;
  return r < 0 ? 255 : shell_status(wait_status);
}

int TestServer::stop() {
  if (!running()) return 0;
  if (int status = reap(false); status >= 0) {
    // Nothing asked it to stop: it crashed or exited by itself, which input must never cause.
    ADD_FAILURE() << "parleyd had already exited with status " << status
                  << " before it was asked to stop\n---- parleyd log ----\n" << tail(log());
    return status;
  }
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (int status = reap(false); status >= 0) return status;
    std::this_thread::sleep_for(kPollInterval);
  }
  ADD_FAILURE() << "parleyd did not exit within "
                << std::chrono::seconds(kStopTimeout).count() << " s of SIGTERM; killing it";
  ::kill(pid_, SIGKILL);
  return reap(true);
}

void TestServer::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

void TestServer::restart() {
  if (running()) stop();
  start();
}

}  // namespace parley::test
