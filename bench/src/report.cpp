#include "report.hpp"

#include "server_process.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sched.h>
#include <sstream>

namespace parley::bench {
namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string ms(std::int64_t us) { return fixed(static_cast<double>(us) / 1000.0, 3); }

boost::json::object machine() {
  boost::json::object m;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model;
  int cores = 0;
  while (std::getline(cpuinfo, line)) {
    if (line.starts_with("processor")) ++cores;
    if (model.empty() && line.starts_with("model name")) model = line.substr(line.find(':') + 2);
  }
  m["cpu_model"] = model;
  m["cores"] = cores;
  std::ifstream meminfo("/proc/meminfo");
  while (std::getline(meminfo, line)) {
    if (line.starts_with("MemTotal:")) m["mem_total_kib"] = std::stol(line.substr(9));
  }
  std::ifstream kernel("/proc/sys/kernel/osrelease");
  std::string release;
  std::getline(kernel, release);
  m["kernel"] = release;
  // Where the bench itself ran: run-all pins it (taskset) apart from the server's CPU.
  cpu_set_t set;
  CPU_ZERO(&set);
  boost::json::array bench_cpus;
  if (::sched_getaffinity(0, sizeof set, &set) == 0)
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) bench_cpus.push_back(c);
  m["bench_cpus"] = std::move(bench_cpus);
  return m;
}

std::string timestamp(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

// A result is read on other machines: a path under the directory the bench ran in is written
// relative to it, and the server's scratch data directory by its role, not its name.
std::string portable(const std::string& word, const std::string& scratch_dir) {
  if (!scratch_dir.empty() && word == scratch_dir) return "<scratch data directory>";
  std::error_code ec;
  const std::string here = std::filesystem::current_path(ec).string() + "/";
  if (!ec && word.starts_with(here)) return word.substr(here.size());
  return word;
}

std::string portable_command(const std::string& command) {
  std::istringstream words(command);
  std::string out, word;
  while (words >> word) out += (out.empty() ? "" : " ") + portable(word, "");
  return out;
}

}  // namespace

boost::json::object latency_json(const Histogram& h) {
  return {{"count", h.count()},          {"p50_us", h.percentile(50)},    {"p90_us", h.percentile(90)},
          {"p99_us", h.percentile(99)},  {"p99_9_us", h.percentile(99.9)}, {"max_us", h.max()},
          {"mean_us", h.mean()}};
}

Report::Report(std::string scenario, std::string command)
    : scenario_(std::move(scenario)), command_(portable_command(command)) {}

void Report::figure(const std::string& key, double value, const std::string& unit) {
  figures_[key] = value;
  rows_.emplace_back(key, (value == static_cast<double>(static_cast<long long>(value)) ? fixed(value, 0) : fixed(value, 2)) +
                              (unit.empty() ? "" : " " + unit));
}

void Report::figure(const std::string& key, const std::string& text) {
  figures_[key] = text;
  rows_.emplace_back(key, text);
}

void Report::latency(const std::string& key, const Histogram& h) {
  figures_[key] = latency_json(h);
  rows_.emplace_back(key + " (ms)", "p50 " + ms(h.percentile(50)) + "  p90 " + ms(h.percentile(90)) + "  p99 " +
                                        ms(h.percentile(99)) + "  p99.9 " + ms(h.percentile(99.9)) + "  max " +
                                        ms(h.max()) + "  (n=" + std::to_string(h.count()) + ")");
}

void Report::check(const std::string& name, bool ok, const std::string& detail) {
  checks_.push_back(boost::json::object{{"name", name}, {"ok", ok}, {"detail", detail}});
  rows_.emplace_back("check " + name, std::string(ok ? "PASS" : "FAIL") + (detail.empty() ? "" : ": " + detail));
  if (!ok) passed_ = false;
}

bool Report::passed() const { return passed_; }

void Report::server(const ServerProcess& server) {
  boost::json::array command;
  for (const auto& a : server.command()) command.push_back(boost::json::string(portable(a, server.data_dir())));
  server_ = {{"managed_by_bench", server.managed()},
             {"address", server.host() + ":" + std::to_string(server.port())},
             {"command", std::move(command)},
             {"pinned_cpu", server.options().cpu}};
  if (server.managed()) {
    server_["password_memory_kib"] = server.options().password_memory_kib;
    server_["note"] =
        "started with --password-memory-kib " + std::to_string(server.options().password_memory_kib) +
        " so that registering thousands of users does not spend minutes in argon2id, and with "
        "--rate-limit/--rate-burst 1000000 so that the per-connection limiter does not cap the load; "
        "every other setting is parleyd's default (durability full, io-threads one per core)";
  }
}

void Report::print() const {
  std::size_t width = 0;
  for (const auto& [k, v] : rows_) width = std::max(width, k.size());
  std::cout << "\n== " << scenario_ << " ==\n";
  for (const auto& [k, v] : rows_) std::cout << "  " << k << std::string(width - k.size() + 2, ' ') << v << "\n";
  std::cout << "  result" << std::string(width > 6 ? width - 6 + 2 : 2, ' ') << (passed_ ? "PASS" : "FAIL") << "\n"
            << std::flush;
}

std::string Report::write(const std::string& dir) const {
  std::filesystem::create_directories(dir);
  // Two short runs may end within one second: the later one gets a suffix, never the other's file.
  const std::string stem = (std::filesystem::path(dir) / (scenario_ + "-" + timestamp("%Y-%m-%dT%H%M%S"))).string();
  std::string path = stem + ".json";
  for (int n = 2; std::filesystem::exists(path); ++n) path = stem + "-" + std::to_string(n) + ".json";
  boost::json::object doc{{"scenario", scenario_},
                          {"date", timestamp("%Y-%m-%dT%H:%M:%S%z")},
                          {"command", command_},
                          {"machine", machine()},
                          {"server", server_},
                          {"parameters", parameters_},
                          {"figures", figures_},
                          {"checks", checks_},
                          {"passed", passed_},
                          {"server_metrics", metrics_}};
  std::ofstream out(path);
  out << boost::json::serialize(doc) << "\n";
  return path;
}

}  // namespace parley::bench
