#include "support/test_server.hpp"

#include "support/http_client.hpp"
#include "support/loopback_port.hpp"
#include "support/postgres_test_database.hpp"
#include "support/shared_postgres.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace parley::test {
namespace {

using namespace std::chrono_literals;

// Bounds that only exist so that a broken server fails the test instead of hanging it.
constexpr auto kReadyTimeout = 30s;     // start-up runs migrations on an empty database
constexpr auto kStopTimeout = 20s;      // a clean shutdown drains connections and the store
constexpr auto kPollInterval = 20ms;
constexpr int kStartAttempts = 3;       // see start(): another process may grab the free port
constexpr std::size_t kLogTailBytes = 8000;

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

bool flag_given(const std::vector<std::string>& flags, std::string_view name) {
  for (const auto& f : flags) {
    if (f == name) return true;
    if (f.size() > name.size() && f.starts_with(name) && f[name.size()] == '=') return true;
  }
  return false;
}

// The first line of a sanitizer report: where it starts in the log, or npos. A report normally
// ends parleyd at once (the sanitizer runs set halt_on_error), which stop() and kill() notice;
// the log is read as well, for a report that a SIGKILL cut short or a run that lets the
// sanitizer go on, and to show the report from its start, which a long stack pushes out of the
// log's tail.
std::size_t sanitizer_report_start(const std::string& log) {
  std::size_t first = std::string::npos;
  for (std::string_view marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                                  "WARNING: ThreadSanitizer"})
    first = std::min(first, log.find(marker));
  return first == std::string::npos ? first : log.rfind('\n', first) + 1;
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
    : TestServer(TestServerOptions{.extra_flags = std::move(extra_flags)}) {}

TestServer::TestServer(TestServerOptions options)
    : extra_flags_(std::move(options.extra_flags)), ready_probe_(std::move(options.ready_probe)), store_uri_(std::move(options.store_uri)),
      data_dir_(make_data_dir()), log_path_(data_dir_ / "parleyd.log") {
  try {
    // The same tests run on every store: a run that shares a PostgreSQL server gives each
    // server a database of its own there, unless the test chose the store itself.
    if (store_uri_.empty() && !flag_given(extra_flags_, "--store")) {
      if (auto admin_uri = run_postgres_admin_uri()) {
        own_database_ = std::make_unique<PostgresTestDatabase>(*admin_uri);
        store_uri_ = own_database_->uri();
      }
    }
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
  const std::string text = log();
  if (auto start = sanitizer_report_start(text); start != std::string::npos)
    ADD_FAILURE() << "parleyd's log holds a sanitizer report:\n" << text.substr(start, kLogTailBytes);
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- parleyd log (" << log_path_.filename().string() << ") ----\n"
              << tail(text) << "\n---- end of parleyd log ----\n";
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
  if (!store_uri_.empty()) args.insert(args.end(), {"--store", store_uri_});
  // Tests send as fast as they can; only the test of flooding wants the limiter to bite.
  if (!flag_given(extra_flags_, "--rate-limit")) args.insert(args.end(), {"--rate-limit", "1000000"});
  if (!flag_given(extra_flags_, "--rate-burst")) args.insert(args.end(), {"--rate-burst", "1000000"});
  if (!flag_given(extra_flags_, "--log-level")) args.insert(args.end(), {"--log-level", "warn"});
  // Tests register many users from one address; only the tests of sign-in limits want them.
  if (!flag_given(extra_flags_, "--registrations-per-address"))
    args.insert(args.end(), {"--registrations-per-address", "1000000"});
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
  process_.start(command_line(), log_path_);

  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto status = process_.poll()) {
      failure = "it exited with status " + std::to_string(*status) + " during start-up";
      return StartResult::exited;
    }
    if (ready_probe_ ? ready_probe_(port_) : healthz_ok(port_)) return StartResult::ready;
    std::this_thread::sleep_for(kPollInterval);
  }
  kill();
  failure = "GET /healthz did not answer 200 {\"status\":\"ok\"} within " +
            std::to_string(std::chrono::seconds(kReadyTimeout).count()) + " s";
  return StartResult::timed_out;
}

std::optional<int> TestServer::exited_by_itself() {
  auto status = process_.poll();
  if (!status) return status;
  // Nothing asked it to stop: it crashed (a sanitizer report aborts it too) or exited by
  // itself, which input must never cause.
  ADD_FAILURE() << "parleyd had already exited with status " << *status
                << " before it was asked to stop\n---- parleyd log ----\n" << tail(log());
  return status;
}

int TestServer::stop() {
  if (!running()) return 0;
  if (auto status = exited_by_itself()) return *status;
  process_.send_signal(SIGTERM);
  if (auto status = process_.wait_for(kStopTimeout)) {
    // A clean shutdown exits 0; anything else is a crash on the way out or, in a sanitizer
    // build, a report (a leak is found only at exit).
    if (*status != 0)
      ADD_FAILURE() << "parleyd exited with status " << *status << " on SIGTERM";
    return *status;
  }
  ADD_FAILURE() << "parleyd did not exit within "
                << std::chrono::seconds(kStopTimeout).count() << " s of SIGTERM; killing it";
  return process_.kill();
}

void TestServer::kill() {
  if (!running() || exited_by_itself()) return;
  process_.kill();
}

void TestServer::restart() {
  if (running()) stop();
  start();
}

}  // namespace parley::test
