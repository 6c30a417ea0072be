#include "support/nats_test_server.hpp"

#include "support/loopback_port.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>

namespace parley::test {
namespace {

using namespace std::chrono_literals;

// Bounds that only exist so that a broken server fails the test instead of hanging it.
constexpr auto kListenTimeout = 30s;
constexpr auto kStopTimeout = 20s;
constexpr auto kPollInterval = 20ms;
constexpr int kStartAttempts = 3;  // another process may take the free port first
constexpr std::size_t kLogTailBytes = 4000;

// nats-server on PATH, else where Debian's package puts it (/usr/sbin, which is not on every
// user's PATH). Resolved before forking: the child may only exec.
std::filesystem::path find_nats_server() {
  std::vector<std::filesystem::path> candidates;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      if (colon != 0) candidates.emplace_back(rest.substr(0, colon));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  candidates.insert(candidates.end(), {"/usr/sbin", "/usr/bin"});
  for (const auto& dir : candidates) {
    const auto program = dir / "nats-server";
    if (::access(program.c_str(), X_OK) == 0) return program;
  }
  throw std::runtime_error("nats-server was not found: install the nats-server package (scripts/setup does)");
}

std::filesystem::path make_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parley-nats-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory for NATS");
  return pattern;
}

std::string tail(const std::string& text) {
  if (text.size() <= kLogTailBytes) return text;
  return "...\n" + text.substr(text.size() - kLogTailBytes);
}

}  // namespace

NatsTestServer::NatsTestServer() : program_(find_nats_server()), directory_(make_directory()),
                                   log_path_(directory_ / "nats-server.log") {
  try {
    port_ = free_loopback_port();
    start();
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
    throw;
  }
}

NatsTestServer::~NatsTestServer() {
  if (running()) stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string NatsTestServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsTestServer::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void NatsTestServer::start() {
  std::string failure;
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    if (spawn_and_wait_listening(failure)) {
      started_once_ = true;
      return;
    }
    // A fresh server that exits at once most likely lost its port to another process; a
    // restarted one keeps its port, which its clients know.
    if (running() || started_once_) break;
    port_ = free_loopback_port();
  }
  if (running()) process_.kill();
  throw std::runtime_error("nats-server did not start: " + failure + "\n---- nats-server log ----\n" + tail(log()));
}

bool NatsTestServer::spawn_and_wait_listening(std::string& failure) {
  process_.start({program_.string(), "-a", "127.0.0.1", "-p", std::to_string(port_)}, log_path_);
  const auto deadline = std::chrono::steady_clock::now() + kListenTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto status = process_.poll()) {
      failure = "it exited with status " + std::to_string(*status) + " during start-up";
      return false;
    }
    if (loopback_port_accepts(port_)) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  failure = "port " + std::to_string(port_) + " did not accept connections within " +
            std::to_string(std::chrono::seconds(kListenTimeout).count()) + " s";
  return false;
}

int NatsTestServer::stop() {
  if (!running()) return 0;
  if (auto status = process_.poll()) return *status;
  process_.send_signal(SIGTERM);
  if (auto status = process_.wait_for(kStopTimeout)) return *status;
  return process_.kill();
}

void NatsTestServer::kill() { process_.kill(); }

void NatsTestServer::restart() {
  if (running()) stop();
  start();
}

}  // namespace parley::test
