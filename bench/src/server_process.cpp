#include "server_process.hpp"

#include "http_client.hpp"

#include <arpa/inet.h>
#include <boost/url/parse.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sched.h>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace parley::bench {
namespace {

using namespace std::chrono_literals;

// Only so that a broken server fails the run instead of hanging it.
constexpr auto kReadyTimeout = 30s;  // start-up runs migrations on an empty database
constexpr auto kStopTimeout = 20s;   // shutdown drains connections and checkpoints the WAL
constexpr std::size_t kLogTailBytes = 4000;

// The kernel picks a free port for a socket bound to port 0; it is closed again so parleyd can
// bind it. Another process could take it in between: start() then fails and says so.
unsigned short free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool healthz_ok(const std::string& host, unsigned short port) {
  HttpClient client(host, port);
  auto res = client.request("GET", "/healthz", {}, {}, 2s);
  return res.status == 200;
}

}  // namespace

namespace {

// One "Name:   1234 kB" line of /proc/<pid>/status, in KiB.
std::optional<long> read_status_kib(pid_t pid, std::string_view field) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':')
      return std::stol(line.substr(field.size() + 1));
  }
  return std::nullopt;
}

}  // namespace

std::optional<long> read_rss_kib(pid_t pid) { return read_status_kib(pid, "VmRSS"); }

std::optional<long> read_peak_rss_kib(pid_t pid) { return read_status_kib(pid, "VmHWM"); }

std::optional<double> read_cpu_seconds(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  // The command name, in parentheses, may hold spaces: fields are counted after its ')'.
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  // After the name: state is field 3 of proc(5); utime and stime are fields 14 and 15.
  for (int i = 3; i < 14 && fields >> field; ++i) {
  }
  unsigned long long user_ticks = 0, system_ticks = 0;
  if (!(fields >> user_ticks >> system_ticks)) return std::nullopt;
  return static_cast<double>(user_ticks + system_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {}

ServerProcess::~ServerProcess() {
  try {
    stop();
  } catch (...) {
  }
  if (!data_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

void ServerProcess::start() {
  if (!managed()) {
    auto url = boost::urls::parse_uri(options_.url);
    if (!url || url->host().empty()) throw std::runtime_error("--server must be a URL like http://127.0.0.1:8080");
    host_ = url->host();
    port_ = url->has_port() ? url->port_number() : 80;
    pid_ = options_.pid;
    if (!healthz_ok(host_, port_)) throw std::runtime_error("no parleyd answers GET /healthz at " + options_.url);
    return;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  data_dir_ = pattern;
  port_ = free_loopback_port();
  // High request budgets: the bench is the flood the limiter exists for, and it measures the
  // server behind it. Warnings only: logging every connection would cost the server CPU.
  command_ = {options_.parleyd, "--host", host_, "--port", std::to_string(port_), "--data-dir", data_dir_,
              "--password-memory-kib", std::to_string(options_.password_memory_kib),
              "--rate-limit", "1000000", "--rate-burst", "1000000", "--log-level", "warn",
              // The bench registers thousands of users from one address.
              "--registrations-per-address", "1000000"};
  command_.insert(command_.end(), options_.extra_args.begin(), options_.extra_args.end());

  std::vector<char*> argv;
  for (auto& a : command_) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log_path = data_dir_ + "/parleyd.log";
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) throw std::runtime_error("cannot open the server log file");
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (options_.cpu >= 0) CPU_SET(options_.cpu, &cpus);
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Async-signal-safe calls only until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the bench
    if (::getppid() != parent) ::_exit(126);
    if (options_.cpu >= 0 && ::sched_setaffinity(0, sizeof cpus, &cpus) != 0) ::_exit(125);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    // The bench's own sockets must not leak into the server.
    ::close_range(3, ~0U, 0);
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!alive()) throw std::runtime_error("parleyd exited during start-up:\n" + log_tail());
    if (healthz_ok(host_, port_)) return;
    std::this_thread::sleep_for(20ms);
  }
  throw std::runtime_error("parleyd did not answer /healthz within 30 s:\n" + log_tail());
}

bool ServerProcess::alive() {
  if (!managed()) return true;
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = 0;
    return false;
  }
  return true;
}

int ServerProcess::stop() {
  if (!managed() || pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(20ms);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
  return 137;
}

std::optional<long> ServerProcess::rss_kib() const { return read_rss_kib(pid_); }

std::optional<double> ServerProcess::cpu_seconds() const { return read_cpu_seconds(pid_); }

std::string ServerProcess::log_tail() const {
  if (data_dir_.empty()) return {};
  std::ifstream in(data_dir_ + "/parleyd.log", std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  std::string text = out.str();
  return text.size() <= kLogTailBytes ? text : "...\n" + text.substr(text.size() - kLogTailBytes);
}

}  // namespace parley::bench
