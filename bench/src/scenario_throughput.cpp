// throughput: many senders in many rooms of 10 at an open-loop target rate, stepped up until
// p99 end-to-end passes the limit or the achieved rate falls below 90% of the target. The
// figures that count are those of the highest step that held.
#include "open_loop.hpp"
#include "scenarios.hpp"

#include <boost/json/array.hpp>

#include <iostream>
#include <random>

namespace parley::bench {
namespace {

struct StepStats {
  Histogram e2e, ack;
  std::int64_t sent = 0, acked = 0, errors = 0, delivered = 0;
  std::int64_t last_ack_ns = 0, last_delivery_ns = 0;
};

}  // namespace

int run_throughput(const CommonOptions& common, const ThroughputOptions& o) {
  Env env(common, "throughput");
  boost::json::array steps_param;
  for (double s : o.steps) steps_param.push_back(s);
  env.report.parameters() = {{"rooms", o.rooms}, {"room_size", o.room_size}, {"steps_msgs_per_s", steps_param},
                             {"step_seconds", o.step_seconds}, {"p99_limit_ms", o.p99_limit_ms},
                             {"min_achieved_fraction", o.min_achieved}, {"floor_seconds", o.floor_seconds}};
  // The kernel's own cost of a send, on the server's CPU, before the server has any work: the
  // server's CPU per send below is set beside it (loopback-ceiling explains the floor).
  double floor_us = 0;
  if (o.floor_seconds > 0) {
    floor_us = measure_loopback_floor(common.server.cpu, o.rooms * o.room_size, 200, o.floor_seconds);
    env.report.figure("loopback_floor_us_per_send", floor_us, "µs");
    std::cout << "loopback floor: " << floor_us << " µs of CPU per send" << std::endl;
  }
  env.start();
  const int users = o.rooms * o.room_size;
  auto accounts = env.register_users(users);
  std::vector<std::vector<int>> groups(static_cast<std::size_t>(o.rooms));
  for (int u = 0; u < users; ++u) groups[static_cast<std::size_t>(u / o.room_size)].push_back(u);
  auto rooms = env.create_groups(accounts, groups);

  StepStats* stats = nullptr;  // the step being measured; deliveries of an earlier one are ignored
  std::int64_t step_start = 0, closed = 0;
  std::vector<std::unique_ptr<WsConn>> conns;
  auto connected = env.connect(accounts, conns, [&](int, WsConn& c) {
    c.on_event([&](const std::string& name, const boost::json::object& data) {
      if (name != "message" || !stats) return;
      const std::int64_t stamp = read_stamp(data.at("message").at("text").as_string());
      if (stamp < step_start) return;
      const std::int64_t now = now_ns();
      ++stats->delivered;
      stats->last_delivery_ns = now;
      stats->e2e.record((now - stamp) / 1000);
    });
    c.on_closed([&](int) { ++closed; });
  });
  env.report.check("all_connected", connected.failed == 0, connected.first_error);

  boost::json::array step_reports;
  double best_target = 0;
  boost::json::object best;
  std::mt19937 rng(7);
  std::int64_t message_counter = 0;
  for (double target : o.steps) {
    StepStats s;
    stats = &s;
    const auto count = static_cast<std::int64_t>(target * o.step_seconds);
    step_start = now_ns() + 50'000'000;
    auto before = env.scrape();
    const auto cpu_before = env.server_cpu_seconds();
    std::cout << "step " << target << " msg/s for " << o.step_seconds << " s..." << std::endl;
    OpenLoop schedule(env.loop, target, count, step_start, [&](std::int64_t, std::int64_t due) {
      const auto u = static_cast<std::size_t>(rng() % static_cast<unsigned>(users));
      auto& c = conns[u];
      if (!c || !c->ready()) return;
      ++s.sent;
      c->request({{"op", "messages.send"}, {"room_id", rooms[u / static_cast<std::size_t>(o.room_size)]},
                  {"client_msg_id", "t" + std::to_string(message_counter++)}, {"type", "text"}, {"text", stamp_text(due)}},
                 [&s, due](const boost::json::object& r) {
                   const std::int64_t now = now_ns();
                   if (r.at("ok") == true) {
                     ++s.acked;
                     s.last_ack_ns = now;
                     s.ack.record((now - due) / 1000);
                   } else {
                     ++s.errors;
                   }
                 });
    });
    const std::int64_t fanout = o.room_size - 1;
    // The step's own time plus a bounded drain: what is not in by then counts as not held.
    const auto limit = std::chrono::milliseconds(static_cast<long>(o.step_seconds * 1000) + 5000);
    const bool drained = env.loop.run_until(
        [&] { return schedule.finished() && s.acked + s.errors == s.sent && s.delivered >= s.acked * fanout; }, limit);
    schedule.stop();
    auto after = env.scrape();
    const auto cpu_after = env.server_cpu_seconds();
    stats = nullptr;

    const double ack_span = static_cast<double>(std::max(s.last_ack_ns - step_start, std::int64_t{1})) / 1e9;
    const double delivery_span = static_cast<double>(std::max(s.last_delivery_ns - step_start, std::int64_t{1})) / 1e9;
    const double acked_per_s = static_cast<double>(s.acked) / std::max(ack_span, o.step_seconds);
    const double delivered_per_s = static_cast<double>(s.delivered) / std::max(delivery_span, o.step_seconds);
    const double p99_ms = static_cast<double>(s.e2e.percentile(99)) / 1000.0;
    const bool held = drained && s.errors == 0 && acked_per_s >= o.min_achieved * target && p99_ms <= o.p99_limit_ms;
    boost::json::object r{{"target_msgs_per_s", target},
                          {"sent", s.sent},
                          {"acked", s.acked},
                          {"errors", s.errors},
                          {"delivered", s.delivered},
                          {"drained", drained},
                          {"acked_per_s", acked_per_s},
                          {"delivered_per_s", delivered_per_s},
                          {"end_to_end", latency_json(s.e2e)},
                          {"ack", latency_json(s.ack)},
                          {"held", held},
                          {"server_metrics", metrics_delta(before, after)}};
    if (auto committed = counter_delta(before, after, "parley_messages_committed_total"))
      r["committed_per_s"] = *committed / std::max(ack_span, o.step_seconds);
    // The share of one core the server used over the step: how close to its limit it ran.
    // And per send: every acknowledgement and every delivery is a frame the server sends.
    double server_cores = -1, us_per_send = -1;
    if (cpu_before && cpu_after) {
      server_cores = (*cpu_after - *cpu_before) / std::max(ack_span, o.step_seconds);
      r["server_cpu_cores"] = server_cores;
      if (acked_per_s + delivered_per_s > 0) {
        us_per_send = server_cores * 1e6 / (acked_per_s + delivered_per_s);
        r["server_cpu_us_per_send"] = us_per_send;
      }
    }
    std::cout << "  acked " << acked_per_s << "/s, delivered " << delivered_per_s << "/s, p99 e2e " << p99_ms
              << " ms, errors " << s.errors << ", server CPU " << server_cores << " cores, " << us_per_send
              << " µs a send" << (held ? "  held" : "  did NOT hold") << std::endl;
    step_reports.push_back(r);
    if (!held) break;
    best_target = target;
    best = r;
    env.report.latency("end_to_end_at_" + std::to_string(static_cast<long>(target)), s.e2e);
    // Let queues empty before the next step, so steps do not bleed into each other.
    env.loop.run_for(std::chrono::milliseconds(500));
  }
  env.report.figures()["steps"] = step_reports;
  env.report.figure("highest_step_held_msgs_per_s", best_target, "msg/s");
  if (!best.empty()) {
    env.report.figure("acked_per_s_at_best", best.at("acked_per_s").as_double(), "msg/s");
    env.report.figure("delivered_per_s_at_best", best.at("delivered_per_s").as_double(), "deliveries/s");
    if (best.contains("committed_per_s"))
      env.report.figure("committed_per_s_at_best", best.at("committed_per_s").as_double(), "msg/s");
    if (best.contains("server_cpu_cores"))
      env.report.figure("server_cpu_cores_at_best", best.at("server_cpu_cores").as_double(), "cores");
    if (best.contains("server_cpu_us_per_send")) {
      const double per_send = best.at("server_cpu_us_per_send").as_double();
      env.report.figure("server_cpu_us_per_send_at_best", per_send, "µs");
      if (floor_us > 0) env.report.figure("server_cpu_per_send_over_floor_at_best", per_send / floor_us, "x");
    }
  }
  env.report.figure("connections_closed_by_server", static_cast<double>(closed), "");
  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
