// fanout: one room of M members and one sender. First at a steady open-loop rate: the latency
// of each delivery and the time until the last member has each message. Then a burst sent at
// once: how many deliveries per second the server sustains out of one room.
#include "http_client.hpp"
#include "open_loop.hpp"
#include "scenarios.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace parley::bench {
namespace {

struct Tracked {
  std::int64_t received = 0;
  std::int64_t last_ns = 0;
};

// Each account registers one push target of kind `http` at `gateway` (docs/protocol.md).
void register_push_targets(Env& env, const std::vector<Account>& accounts, const std::string& gateway) {
  std::mutex m;
  std::string error;
  parallel_http(env.server.host(), env.server.port(), static_cast<int>(accounts.size()), env.options.http_parallel,
                [&](HttpClient& http, int i) {
                  const Account& a = accounts.at(static_cast<std::size_t>(i));
                  boost::json::object body{{"kind", "http"}, {"url", gateway}, {"app_id", "bench"},
                                           {"pushkey", "bench-device-" + std::to_string(a.id)}};
                  auto res = http.request("POST", "/v1/push/targets", boost::json::serialize(body), a.token);
                  if (res.status != 200) {
                    std::lock_guard lock(m);
                    if (error.empty()) error = "register a push target: HTTP " + std::to_string(res.status) + " " + res.body + res.error;
                  }
                });
  if (!error.empty()) throw std::runtime_error(error);
}

}  // namespace

int run_fanout(const CommonOptions& common, const FanoutOptions& o) {
  Env env(common, "fanout");
  env.report.parameters() = {{"members", o.members},
                             {"rate_msgs_per_s", o.rate},
                             {"seconds", o.seconds},
                             {"burst", o.burst},
                             {"offline_members", o.offline_members},
                             {"push_gateway", o.push_gateway}};
  if (o.offline_members > 0 && o.push_gateway.empty())
    throw std::runtime_error("--offline-members needs --push-gateway: the URL their push targets name");
  env.start();
  auto accounts = env.register_users(o.members);
  auto offline = env.register_users(o.offline_members);
  register_push_targets(env, offline, o.push_gateway);
  std::vector<Account> everyone = accounts;
  everyone.insert(everyone.end(), offline.begin(), offline.end());
  const std::int64_t room = env.create_group(everyone);
  const std::int64_t receivers = o.members - 1;

  std::unordered_map<std::int64_t, Tracked> by_stamp;  // scheduled time -> who has it
  Histogram delivery;
  std::int64_t deliveries = 0, closed = 0, last_delivery_ns = 0, last_event_ns = now_ns();
  std::vector<std::unique_ptr<WsConn>> conns;
  auto record = [&](std::int64_t stamp) {
    auto it = by_stamp.find(stamp);
    if (it == by_stamp.end()) return;
    const std::int64_t now = now_ns();
    ++it->second.received;
    it->second.last_ns = now;
    ++deliveries;
    last_delivery_ns = now;
    delivery.record((now - stamp) / 1000);
  };
  auto connected = env.connect(accounts, conns, [&](int, WsConn& c) {
    // A message event carries its stamp as its text: read it straight from the frame, since
    // parsing each of a burst's million frames whole would be what limits the measured rate.
    // Any other frame, or one not shaped as expected, is parsed as usual.
    c.on_raw([&](std::string_view text) {
      constexpr std::string_view kMessageEvent = R"({"event":"message",)";
      constexpr std::string_view kText = R"("text":")";
      if (!text.starts_with(kMessageEvent)) return false;
      const auto at = text.find(kText);
      if (at == std::string_view::npos) return false;
      last_event_ns = now_ns();
      record(read_stamp(text.substr(at + kText.size())));
      return true;
    });
    c.on_event([&](const std::string& name, const boost::json::object& data) {
      last_event_ns = now_ns();
      if (name == "message") record(read_stamp(data.at("message").at("text").as_string()));
    });
    c.on_closed([&](int) { ++closed; });
  });
  env.report.check("all_connected", connected.failed == 0, connected.first_error);
  WsConn& sender = *conns[0];
  // Every member coming online tells every other one (presence): M² frames that would
  // otherwise still be queued when the measured messages go out. Wait for them to pass.
  const std::int64_t settle_start = now_ns();
  env.loop.run_until([&] { return now_ns() - last_event_ns > 500'000'000; }, std::chrono::seconds(120));
  env.report.figure("presence_settle_seconds_after_connect", static_cast<double>(now_ns() - settle_start) / 1e9, "s");

  std::int64_t acked = 0, errors = 0, sent = 0, counter = 0;
  auto send = [&](std::int64_t due) {
    by_stamp[due] = {};
    ++sent;
    sender.request({{"op", "messages.send"}, {"room_id", room}, {"client_msg_id", "f" + std::to_string(counter++)},
                    {"type", "text"}, {"text", stamp_text(due)}},
                   [&](const boost::json::object& r) { ++(r.at("ok") == true ? acked : errors); });
  };
  auto all_in = [&] {
    return acked + errors == sent && deliveries == acked * receivers;
  };

  // Phase 1: a steady rate.
  const auto count = static_cast<std::int64_t>(o.rate * o.seconds);
  const std::int64_t start = now_ns() + 50'000'000;
  std::cout << "steady: " << count << " messages at " << o.rate << "/s to " << receivers << " members..." << std::endl;
  OpenLoop schedule(env.loop, o.rate, count, start, [&](std::int64_t, std::int64_t due) { send(due); });
  bool complete = env.loop.run_until([&] { return schedule.finished() && all_in(); },
                                     std::chrono::milliseconds(static_cast<long>(o.seconds * 1000) + 30000));
  Histogram last_member;
  for (const auto& [stamp, t] : by_stamp)
    if (t.received > 0) last_member.record((t.last_ns - stamp) / 1000);
  const double span = static_cast<double>(std::max(last_delivery_ns - start, std::int64_t{1})) / 1e9;
  env.report.latency("steady_delivery", delivery);
  env.report.latency("steady_last_member_has_it", last_member);
  env.report.figure("steady_deliveries_per_s", static_cast<double>(deliveries) / std::max(span, o.seconds), "/s");
  env.report.check("steady_every_member_has_every_message", complete && deliveries == sent * receivers,
                   std::to_string(deliveries) + " of " + std::to_string(sent * receivers) + " deliveries");

  // Phase 2: a burst, every message due at the same instant.
  by_stamp.clear();
  delivery.reset();
  deliveries = acked = errors = sent = 0;
  const std::int64_t burst_start = now_ns();
  const auto cpu_before = env.server_cpu_seconds();
  std::cout << "burst: " << o.burst << " messages at once..." << std::endl;
  for (int i = 0; i < o.burst; ++i) send(burst_start + i);  // distinct stamps, same instant
  complete = env.loop.run_until(all_in, std::chrono::seconds(60));
  const double burst_span = static_cast<double>(std::max(last_delivery_ns - burst_start, std::int64_t{1})) / 1e9;
  env.report.figure("burst_seconds_until_last_member_has_all", burst_span, "s");
  env.report.figure("burst_deliveries_per_s", static_cast<double>(deliveries) / burst_span, "/s");
  // The burst can outrun the load generator's one core before the server's: the server's own
  // CPU time tells what it would deliver with a whole core to itself.
  if (const auto cpu_after = env.server_cpu_seconds(); cpu_before && cpu_after && *cpu_after > *cpu_before) {
    const double cpu = *cpu_after - *cpu_before;
    env.report.figure("burst_server_cpu_cores", cpu / burst_span, "cores");
    env.report.figure("burst_deliveries_per_server_cpu_second", static_cast<double>(deliveries) / cpu, "/s");
  }
  env.report.latency("burst_delivery", delivery);
  env.report.check("burst_every_member_has_every_message", complete && deliveries == sent * receivers,
                   std::to_string(deliveries) + " of " + std::to_string(sent * receivers) + " deliveries");
  env.report.check("no_connection_lost", closed == 0, std::to_string(closed) + " closed by the server");
  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
