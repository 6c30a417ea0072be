// typing-presence: ephemeral events under load. Members of rooms of 10 take turns, on an
// open-loop schedule, to start typing, stop typing, go away and come back (presence.set); the
// latency runs from the scheduled send until each other member receives the event.
#include "open_loop.hpp"
#include "scenarios.hpp"

#include <iostream>
#include <unordered_map>

namespace parley::bench {
namespace {

// What a user's latest operation should make the others see, and when it was due.
struct Pending {
  std::int64_t due = 0;
  bool typing = false;        // for a typing operation: start or stop
  std::string status;         // for a presence operation
  bool is_typing_op = false;
};

}  // namespace

int run_typing_presence(const CommonOptions& common, const TypingPresenceOptions& o) {
  Env env(common, "typing-presence");
  env.report.parameters() = {{"rooms", o.rooms}, {"room_size", o.room_size}, {"rate_ops_per_s", o.rate}, {"seconds", o.seconds}};
  env.start();
  const int users = o.rooms * o.room_size;
  auto accounts = env.register_users(users);
  std::vector<std::vector<int>> groups(static_cast<std::size_t>(o.rooms));
  for (int u = 0; u < users; ++u) groups[static_cast<std::size_t>(u / o.room_size)].push_back(u);
  auto rooms = env.create_groups(accounts, groups);
  std::unordered_map<std::int64_t, int> user_index;
  for (int u = 0; u < users; ++u) user_index[accounts[static_cast<std::size_t>(u)].id] = u;

  std::vector<Pending> pending(static_cast<std::size_t>(users));
  Histogram typing_latency, presence_latency, ack_latency;
  std::int64_t typing_seen = 0, presence_seen = 0, typing_expected = 0, presence_expected = 0, errors = 0, closed = 0;
  bool measuring = false;
  std::vector<std::unique_ptr<WsConn>> conns;
  auto connected = env.connect(accounts, conns, [&](int receiver, WsConn& c) {
    c.on_event([&, receiver](const std::string& name, const boost::json::object& data) {
      if (!measuring || (name != "typing" && name != "presence")) return;
      auto it = user_index.find(data.at("user_id").as_int64());
      // A user's own devices see their presence change too; only the other members count.
      if (it == user_index.end() || it->second == receiver) return;
      const auto& p = pending[static_cast<std::size_t>(it->second)];
      if (p.due == 0) return;
      const std::int64_t latency = (now_ns() - p.due) / 1000;
      if (name == "typing" && p.is_typing_op && data.at("typing").as_bool() == p.typing) {
        ++typing_seen;
        typing_latency.record(latency);
      } else if (name == "presence" && !p.is_typing_op) {
        const auto* status = data.if_contains("status");
        if (status && status->is_string() && status->as_string() == p.status) {
          ++presence_seen;
          presence_latency.record(latency);
        }
      }
    });
    c.on_closed([&](int) { ++closed; });
  });
  env.report.check("all_connected", connected.failed == 0, connected.first_error);
  // The presence of everyone coming online is not what is measured.
  env.loop.run_for(std::chrono::milliseconds(500));
  measuring = true;

  const auto count = static_cast<std::int64_t>(o.rate * o.seconds);
  const std::int64_t others = o.room_size - 1;
  std::int64_t sent = 0, acked = 0;
  OpenLoop schedule(env.loop, o.rate, count, now_ns() + 50'000'000, [&](std::int64_t i, std::int64_t due) {
    // Users take turns room by room, so consecutive operations land in different rooms; each
    // user cycles through start, stop, away, available, and each step changes what others see.
    const auto u = static_cast<std::size_t>((i % users) % o.rooms * o.room_size + (i % users) / o.rooms);
    auto& conn = conns[u];
    if (!conn || !conn->ready()) return;
    auto& p = pending[u];
    const std::int64_t turn = i / users;
    boost::json::object frame;
    switch (turn % 4) {
      case 0: frame = {{"op", "typing.start"}, {"room_id", rooms[u / static_cast<std::size_t>(o.room_size)]}}; break;
      case 1: frame = {{"op", "typing.stop"}, {"room_id", rooms[u / static_cast<std::size_t>(o.room_size)]}}; break;
      case 2: frame = {{"op", "presence.set"}, {"status", "away"}}; break;
      default: frame = {{"op", "presence.set"}, {"status", "available"}}; break;
    }
    p.due = due;
    p.is_typing_op = turn % 4 < 2;
    p.typing = turn % 4 == 0;
    p.status = turn % 4 == 2 ? "away" : "available";
    (p.is_typing_op ? typing_expected : presence_expected) += others;
    ++sent;
    conn->request(std::move(frame), [&, due](const boost::json::object& r) {
      if (r.at("ok") != true) return void(++errors);
      ++acked;
      ack_latency.record((now_ns() - due) / 1000);
    });
  });
  env.loop.run_until(
      [&] { return schedule.finished() && acked + errors == sent && typing_seen >= typing_expected && presence_seen >= presence_expected; },
      std::chrono::milliseconds(static_cast<long>(o.seconds * 1000) + 15000));

  env.report.figure("operations_sent", static_cast<double>(sent), "");
  env.report.latency("typing_event", typing_latency);
  env.report.latency("presence_event", presence_latency);
  env.report.latency("ack", ack_latency);
  env.report.figure("typing_events_received", static_cast<double>(typing_seen), "");
  env.report.figure("presence_events_received", static_cast<double>(presence_seen), "");
  env.report.check("every_operation_acknowledged", errors == 0 && acked == sent && sent == count,
                   std::to_string(acked) + " of " + std::to_string(count) + ", " + std::to_string(errors) + " errors");
  env.report.check("every_typing_event_delivered", typing_seen == typing_expected,
                   std::to_string(typing_seen) + " of " + std::to_string(typing_expected));
  env.report.check("every_presence_event_delivered", presence_seen == presence_expected,
                   std::to_string(presence_seen) + " of " + std::to_string(presence_expected));
  env.report.check("no_connection_lost", closed == 0, std::to_string(closed) + " closed by the server");
  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
