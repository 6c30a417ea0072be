#include "env.hpp"

#include <boost/url/parse.hpp>

#include "http_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <charconv>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <stdexcept>

namespace parley::bench {
namespace json = boost::json;

namespace {

// A group may start with 256 members besides its creator (docs/protocol.md, Limits).
constexpr std::size_t kInitialMembers = 256;

json::object parse_object(const HttpResponse& res, const std::string& what) {
  boost::system::error_code ec;
  auto v = json::parse(res.body, ec);
  if (res.status < 200 || res.status >= 300 || ec || !v.is_object())
    throw std::runtime_error(what + " failed: HTTP " + std::to_string(res.status) + " " + res.error + " " +
                             res.body.substr(0, 300));
  return std::move(v.as_object());
}

// The local port range, to know how many connections one source address can hold.
int local_port_count() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768, high = 60999;
  in >> low >> high;
  return std::max(1000, high - low + 1);
}

}  // namespace

std::string stamp_text(std::int64_t scheduled_ns) { return std::to_string(scheduled_ns); }

std::int64_t read_stamp(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() ? v : 0;
}

Env::Env(CommonOptions opts, std::string scenario)
    : options(std::move(opts)), server(options.server), report(scenario, options.command), scenario_(std::move(scenario)) {
  // Usernames unique per run, so that a long-lived --server can take many runs.
  std::random_device rd;
  user_prefix_ = "b" + std::to_string(rd() % 1000000) + "_";
}

Env::~Env() = default;

void Env::start() {
  server.start();
  nodes = {{server.host(), server.port()}};
  for (const auto& url : options.other_nodes) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->host().empty() || !parsed->has_port())
      throw std::runtime_error("--also-server must be a URL like http://127.0.0.1:8081");
    nodes.emplace_back(parsed->host(), parsed->port_number());
  }
  started_ = true;
  metrics_before_ = scrape();
  report.server(server);
}

bool Env::check_server_alive() {
  const bool alive = server.alive();
  if (!alive) report.check("server_alive", false, "parleyd exited during the run:\n" + server.log_tail());
  return alive;
}

bool Env::finish() {
  if (started_) {
    if (!metrics_after_taken_) take_metrics_after();
    report.metrics(metrics_delta(metrics_before_, metrics_after_));
    if (server.managed()) {
      const bool was_alive = server.alive();
      if (!was_alive) report.check("server_alive", false, "parleyd had exited:\n" + server.log_tail());
      const int status = was_alive ? server.stop() : -1;
      if (was_alive) report.check("server_clean_exit", status == 0, "parleyd exit status " + std::to_string(status));
    }
  }
  report.print();
  if (options.record) std::cout << "  written to " << report.write(options.results_dir) << "\n";
  return report.passed();
}

std::vector<Account> Env::register_users(int count) {
  std::vector<Account> accounts(static_cast<std::size_t>(count));
  std::mutex m;
  std::string error;
  // Numbered on from the users registered before: a scenario may register several sets.
  const int first = registered_;
  registered_ += count;
  parallel_http(server.host(), server.port(), count, options.http_parallel, [&](HttpClient& http, int i) {
    const std::string name = user_prefix_ + std::to_string(first + i);
    json::object body{{"username", name}, {"password", kBenchPassword}};
    try {
      auto res = parse_object(http.request("POST", "/v1/auth/register", json::serialize(body)), "register " + name);
      auto& a = accounts[static_cast<std::size_t>(i)];
      a.id = res.at("user").at("id").as_int64();
      a.username = name;
      a.token = std::string(res.at("access_token").as_string());
    } catch (const std::exception& e) {
      std::lock_guard lock(m);
      if (error.empty()) error = e.what();
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  return accounts;
}

std::int64_t Env::create_group(const std::vector<Account>& members) {
  std::vector<Account> all = members;
  std::vector<std::vector<int>> groups(1);
  for (int i = 0; i < static_cast<int>(members.size()); ++i) groups[0].push_back(i);
  return create_groups(all, groups).at(0);
}

std::vector<std::int64_t> Env::create_groups(const std::vector<Account>& accounts, const std::vector<std::vector<int>>& groups) {
  std::vector<std::int64_t> ids(groups.size(), 0);
  std::mutex m;
  std::string error;
  auto note = [&](const std::exception& e) {
    std::lock_guard lock(m);
    if (error.empty()) error = e.what();
  };
  parallel_http(server.host(), server.port(), static_cast<int>(groups.size()), options.http_parallel, [&](HttpClient& http, int g) {
    const auto& group = groups[static_cast<std::size_t>(g)];
    const Account& owner = accounts.at(static_cast<std::size_t>(group.at(0)));
    json::array initial;
    for (std::size_t k = 1; k < group.size() && k <= kInitialMembers; ++k) initial.push_back(accounts.at(static_cast<std::size_t>(group[k])).id);
    json::object body{{"name", "bench " + std::to_string(g)}, {"members", std::move(initial)}};
    try {
      auto res = parse_object(http.request("POST", "/v1/rooms", json::serialize(body), owner.token), "create a group");
      ids[static_cast<std::size_t>(g)] = res.at("id").as_int64();
    } catch (const std::exception& e) {
      note(e);
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  // Members past the initial limit, added by each group's owner, in parallel over all groups.
  std::vector<std::pair<std::size_t, std::size_t>> adds;  // (group, index in group)
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t k = kInitialMembers + 1; k < groups[g].size(); ++k) adds.emplace_back(g, k);
  parallel_http(server.host(), server.port(), static_cast<int>(adds.size()), options.http_parallel, [&](HttpClient& http, int i) {
    const auto [g, k] = adds[static_cast<std::size_t>(i)];
    const Account& owner = accounts.at(static_cast<std::size_t>(groups[g].at(0)));
    json::object body{{"user_id", accounts.at(static_cast<std::size_t>(groups[g][k])).id}};
    try {
      parse_object(http.request("POST", "/v1/rooms/" + std::to_string(ids[g]) + "/members", json::serialize(body), owner.token),
                   "add a member");
    } catch (const std::exception& e) {
      note(e);
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  return ids;
}

std::vector<std::int64_t> Env::direct_rooms(const std::vector<Account>& accounts) {
  const int pairs = static_cast<int>(accounts.size() / 2);
  std::vector<std::int64_t> ids(static_cast<std::size_t>(pairs), 0);
  std::mutex m;
  std::string error;
  parallel_http(server.host(), server.port(), pairs, options.http_parallel, [&](HttpClient& http, int p) {
    const auto& a = accounts[static_cast<std::size_t>(2 * p)];
    const auto& b = accounts[static_cast<std::size_t>(2 * p + 1)];
    try {
      auto res = parse_object(http.request("POST", "/v1/rooms/direct", json::serialize(json::object{{"user_id", b.id}}), a.token),
                              "create a direct room");
      ids[static_cast<std::size_t>(p)] = res.at("room").at("id").as_int64();
    } catch (const std::exception& e) {
      std::lock_guard lock(m);
      if (error.empty()) error = e.what();
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  return ids;
}

std::string Env::source_address(int index, int total) const {
  int count = options.source_addresses;
  if (count <= 0) {
    // Leave a quarter of the port range to everything else on the machine.
    const int per_address = local_port_count() * 3 / 4;
    count = std::max(1, (total + per_address - 1) / per_address);
  }
  return "127.0.0." + std::to_string(1 + index % std::min(count, 250));
}

ConnectResult Env::connect(const std::vector<Account>& accounts, std::vector<std::unique_ptr<WsConn>>& conns,
                           const Prepare& prepare, std::vector<int> which, std::chrono::milliseconds timeout) {
  if (which.empty())
    for (int i = 0; i < static_cast<int>(accounts.size()); ++i) which.push_back(i);
  conns.resize(accounts.size());
  ConnectResult result;
  std::size_t next = 0;
  int in_flight = 0;
  const std::int64_t t0 = now_ns();
  std::int64_t last_ready = t0;
  // Handlers that complete after this function returned (a timeout) must not touch its locals.
  auto alive = std::make_shared<bool>(true);
  // Starts attempts until `connect_concurrency` are in flight; each completion starts the next.
  std::function<void()> pump = [&, alive] {
    if (!*alive) return;
    while (in_flight < options.connect_concurrency && next < which.size()) {
      const int i = which[next++];
      auto& conn = conns[static_cast<std::size_t>(i)];
      conn = std::make_unique<WsConn>(loop, source_address(i, static_cast<int>(accounts.size())));
      if (prepare) prepare(i, *conn);
      ++in_flight;
      const std::int64_t started = now_ns();
      const auto& [host, port] = nodes[static_cast<std::size_t>(i) % nodes.size()];
      conn->connect(host, port, accounts[static_cast<std::size_t>(i)].token,
                    [&, started, alive](bool ok, const std::string& error) {
                      if (!*alive) return;
                      --in_flight;
                      if (ok) {
                        ++result.ok;
                        last_ready = now_ns();
                        result.latency.record((last_ready - started) / 1000);
                      } else {
                        ++result.failed;
                        if (result.first_error.empty()) result.first_error = error;
                      }
                      loop.post(pump);
                    });
    }
  };
  pump();
  const std::size_t total = which.size();
  loop.run_until([&] { return static_cast<std::size_t>(result.ok + result.failed) == total; }, timeout);
  result.seconds = static_cast<double>(last_ready - t0) / 1e9;
  *alive = false;
  for (int i : which) {
    auto& conn = conns[static_cast<std::size_t>(i)];
    if (conn && !conn->ready()) conn->drop();
  }
  const int missing = static_cast<int>(total) - result.ok - result.failed;
  if (missing > 0) {
    result.failed += missing;
    if (result.first_error.empty()) result.first_error = std::to_string(missing) + " not ready before the timeout";
  }
  return result;
}

}  // namespace parley::bench
