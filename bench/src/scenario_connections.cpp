// connections: N idle authenticated connections, each a member of a room; what one costs the
// server in memory, and how long it takes to open them all.
#include "scenarios.hpp"

#include <iostream>
#include <unistd.h>

namespace parley::bench {

int run_connections(const CommonOptions& common, const ConnectionsOptions& o) {
  Env env(common, "connections");
  env.report.parameters() = {{"connections", o.connections}, {"room_size", o.room_size}, {"settle_ms", o.settle_ms}};
  env.start();

  std::cout << "registering " << o.connections << " users..." << std::endl;
  auto t = now_ns();
  auto accounts = env.register_users(o.connections);
  env.report.figure("registration_seconds", static_cast<double>(now_ns() - t) / 1e9, "s");
  std::vector<std::vector<int>> groups;
  for (int i = 0; i < o.connections; i += o.room_size) {
    groups.emplace_back();
    for (int k = i; k < std::min(o.connections, i + o.room_size); ++k) groups.back().push_back(k);
  }
  (void)env.create_groups(accounts, groups);

  // The baseline after setup: the users, rooms and warmed-up caches are not connections.
  env.loop.run_for(std::chrono::milliseconds(500));
  const auto rss_before = env.server_rss_kib();
  const auto heap_before = env.scrape();

  std::cout << "connecting..." << std::endl;
  std::vector<std::unique_ptr<WsConn>> conns;
  std::int64_t events = 0;
  auto result = env.connect(accounts, conns, [&](int, WsConn& c) {
    c.on_event([&](const std::string&, const boost::json::object&) { ++events; });
  });
  env.report.figure("connected", result.ok, "");
  env.report.figure("connect_seconds", result.seconds, "s");
  env.report.figure("connects_per_second", result.seconds > 0 ? result.ok / result.seconds : 0, "/s");
  env.report.latency("connect_latency", result.latency);
  env.report.check("all_connected", result.failed == 0,
                   std::to_string(result.failed) + " failed" + (result.first_error.empty() ? "" : " (" + result.first_error + ")"));

  // Presence events of everyone coming online settle before memory is read.
  env.loop.run_for(std::chrono::milliseconds(o.settle_ms));
  const auto rss_after = env.server_rss_kib();
  const auto heap_after = env.scrape();
  if (rss_before && rss_after) {
    env.report.figure("server_rss_before_kib", static_cast<double>(*rss_before), "KiB");
    env.report.figure("server_rss_after_kib", static_cast<double>(*rss_after), "KiB");
    env.report.figure("server_bytes_per_connection",
                      result.ok ? static_cast<double>(*rss_after - *rss_before) * 1024.0 / result.ok : 0, "B");
  } else {
    env.report.figure("server_bytes_per_connection", "unknown: the server's pid is not known (--server-pid)");
  }
  // The heap the server's allocator counts as in use: what live objects cost, without memory
  // freed but kept by the allocator; and the same without SQLite's page caches, which grow
  // with the reads of the connects but are bounded whatever the number of connections.
  auto gauge_delta = [&](const std::string& name) -> std::optional<double> {
    if (!heap_before || !heap_after) return std::nullopt;
    auto b = heap_before->samples.find(name), a = heap_after->samples.find(name);
    if (b == heap_before->samples.end() || a == heap_after->samples.end()) return std::nullopt;
    return a->second - b->second;
  };
  const auto heap = gauge_delta("parley_heap_bytes");
  const auto database = gauge_delta("parley_database_heap_bytes");
  if (heap && result.ok) {
    env.report.figure("server_heap_bytes_per_connection", *heap / result.ok, "B");
    if (database) {
      env.report.figure("server_database_heap_growth_bytes", *database, "B");
      env.report.figure("server_heap_bytes_per_connection_outside_database", (*heap - *database) / result.ok, "B");
    }
  }
  if (auto own = read_rss_kib(::getpid())) env.report.figure("bench_rss_kib", static_cast<double>(*own), "KiB");
  env.report.figure("events_received_while_connecting", static_cast<double>(events), "");

  // Every connection still answers: a ping round over all of them.
  int pongs = 0, open = 0;
  for (auto& c : conns) {
    if (!c || !c->ready()) continue;
    ++open;
    c->request({{"op", "ping"}}, [&](const boost::json::object& r) {
      if (r.contains("ok") && r.at("ok") == true) ++pongs;
    });
  }
  env.loop.run_until([&] { return pongs == open; }, std::chrono::seconds(60));
  env.report.check("all_answer_ping", pongs == result.ok && open == result.ok,
                   std::to_string(pongs) + " of " + std::to_string(result.ok) + " answered");
  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
