// reconnect-storm: K clients drop at once while the others keep sending; they reconnect
// together and catch up with `sync`. Measured: the time until every one has caught up. Checked:
// no client misses a message and none is duplicated, i.e. per room and per client the seqs held
// are exactly base+1 .. last, each seq always the same message, each client_msg_id stored once,
// and each connection's live stream strictly increasing.
#include "open_loop.hpp"
#include "scenarios.hpp"

#include <boost/json/array.hpp>

#include <iostream>
#include <unordered_map>

namespace parley::bench {
namespace {

constexpr int kRoomSize = 10;  // half of each room drops, half stays and sends

struct Client {
  std::size_t room = 0;
  bool dropper = false;
  std::vector<std::int64_t> id_of_seq;  // message id held at each seq, 0 while missing
  std::int64_t contiguous = 0;          // highest seq with nothing missing at or below it
  std::int64_t live_last = 0;           // last seq on the current connection's live stream
  std::int64_t catch_up_target = -1;    // room's last seq per the final sync page; -1 before
  std::int64_t caught_up_ns = 0;
};

struct Violations {
  std::int64_t live_repeat = 0;   // a seq not above the previous one on one connection
  std::int64_t sync_repeat = 0;   // a seq twice within one sync pass
  std::int64_t id_mismatch = 0;   // one seq, two different messages
  std::int64_t cmid_twice = 0;    // one client_msg_id at two seqs: stored twice
  std::int64_t left_room = 0;     // sync said the client is no longer in its room
  [[nodiscard]] std::int64_t total() const { return live_repeat + sync_repeat + id_mismatch + cmid_twice + left_room; }
};

}  // namespace

int run_reconnect_storm(const CommonOptions& common, const StormOptions& o) {
  Env env(common, "reconnect-storm");
  env.report.parameters() = {{"clients_dropping", o.clients}, {"clients_staying", o.clients}, {"room_size", kRoomSize},
                             {"rate_msgs_per_s", o.rate}, {"down_ms", o.down_ms}, {"sync_limit", o.sync_limit}};
  env.start();
  const int users = 2 * o.clients;
  auto accounts = env.register_users(users);
  std::vector<std::vector<int>> groups;
  for (int u = 0; u < users; ++u) {
    if (u % kRoomSize == 0) groups.emplace_back();
    groups.back().push_back(u);
  }
  auto rooms = env.create_groups(accounts, groups);

  std::vector<Client> clients(static_cast<std::size_t>(users));
  std::vector<int> droppers, stayers;
  for (int u = 0; u < users; ++u) {
    auto& c = clients[static_cast<std::size_t>(u)];
    c.room = static_cast<std::size_t>(u / kRoomSize);
    c.dropper = u % kRoomSize < kRoomSize / 2;
    (c.dropper ? droppers : stayers).push_back(u);
  }
  Violations v;
  std::unordered_map<std::string, std::int64_t> seq_of_cmid;
  std::vector<std::int64_t> room_last(rooms.size(), 0);  // highest seq acknowledged per room
  std::vector<std::int64_t> room_base(rooms.size(), 0);  // last seq before the load began

  auto hold = [&](Client& c, std::int64_t seq, std::int64_t id) {
    if (seq <= 0) return;
    if (c.id_of_seq.size() <= static_cast<std::size_t>(seq)) c.id_of_seq.resize(static_cast<std::size_t>(seq) * 2 + 16, 0);
    auto& slot = c.id_of_seq[static_cast<std::size_t>(seq)];
    if (slot == 0) slot = id;
    else if (slot != id) ++v.id_mismatch;
    while (static_cast<std::size_t>(c.contiguous + 1) < c.id_of_seq.size() && c.id_of_seq[static_cast<std::size_t>(c.contiguous + 1)] != 0)
      ++c.contiguous;
  };
  auto note_cmid = [&](const boost::json::object& m) {
    const auto* cmid = m.if_contains("client_msg_id");
    if (!cmid || !cmid->is_string()) return;
    auto [it, inserted] = seq_of_cmid.try_emplace(std::string(cmid->as_string()), m.at("seq").as_int64());
    if (!inserted && it->second != m.at("seq").as_int64()) ++v.cmid_twice;
  };
  std::int64_t reconnect_ns = 0;
  auto check_caught_up = [&](Client& c) {
    if (c.caught_up_ns == 0 && c.catch_up_target >= 0 && c.contiguous >= c.catch_up_target) c.caught_up_ns = now_ns();
  };

  std::vector<std::unique_ptr<WsConn>> conns;
  std::function<void(int, std::int64_t)> do_sync = [&](int u, std::int64_t after) {
    auto& c = clients[static_cast<std::size_t>(u)];
    boost::json::array wanted{boost::json::object{{"room_id", rooms[c.room]}, {"after_seq", after}}};
    conns[static_cast<std::size_t>(u)]->request(
        {{"op", "sync"}, {"rooms", wanted}, {"limit", o.sync_limit}}, [&, u](const boost::json::object& r) {
          auto& c = clients[static_cast<std::size_t>(u)];
          if (r.at("ok") != true) return;  // reported as not caught up
          const auto& data = r.at("data").as_object();
          if (!data.at("left").as_array().empty()) ++v.left_room;
          std::int64_t last = 0;
          bool has_more = false;
          for (const auto& entry : data.at("catch_up").as_array()) {
            has_more = entry.at("has_more").as_bool();
            std::int64_t previous = 0;
            for (const auto& mv : entry.at("messages").as_array()) {
              const auto& m = mv.as_object();
              const std::int64_t seq = m.at("seq").as_int64();
              if (seq <= previous) ++v.sync_repeat;
              previous = last = seq;
              note_cmid(m);
              hold(c, seq, m.at("id").as_int64());
            }
          }
          if (has_more && last > 0) return do_sync(u, last);
          for (const auto& room : data.at("rooms").as_array())
            if (room.at("id").as_int64() == rooms[c.room]) c.catch_up_target = room.at("last_seq").as_int64();
          check_caught_up(c);
        });
  };
  auto prepare = [&](int u, WsConn& conn) {
    clients[static_cast<std::size_t>(u)].live_last = 0;  // a new connection, a new live stream
    conn.on_event([&, u](const std::string& name, const boost::json::object& data) {
      auto& c = clients[static_cast<std::size_t>(u)];
      if (name == "ready" && reconnect_ns != 0 && c.dropper) return do_sync(u, c.contiguous);
      if (name != "message") return;
      const auto& m = data.at("message").as_object();
      const std::int64_t seq = m.at("seq").as_int64();
      if (seq <= c.live_last) ++v.live_repeat;
      c.live_last = seq;
      note_cmid(m);
      hold(c, seq, m.at("id").as_int64());
      check_caught_up(c);
    });
  };
  auto connected = env.connect(accounts, conns, prepare);
  env.report.check("all_connected", connected.failed == 0, connected.first_error);

  // Each room's starting point: the system messages of its creation are history, not load.
  int bases = 0;
  for (std::size_t r = 0; r < rooms.size(); ++r) {
    const int owner = groups[r][0];
    conns[static_cast<std::size_t>(owner)]->request({{"op", "rooms.get"}, {"room_id", rooms[r]}}, [&, r](const boost::json::object& res) {
      ++bases;
      const std::int64_t base = res.at("data").at("last_seq").as_int64();
      room_last[r] = base;
      room_base[r] = base;
      for (int u : groups[r]) {
        auto& c = clients[static_cast<std::size_t>(u)];
        c.contiguous = std::max(c.contiguous, base);
      }
    });
  }
  env.loop.run_until([&] { return bases == static_cast<int>(rooms.size()); }, std::chrono::seconds(30));

  // The flow from those who stay: it runs until stopped, through the whole storm.
  std::int64_t sent = 0, acked = 0, errors = 0;
  const auto max_count = static_cast<std::int64_t>(o.rate * 600);
  OpenLoop flow(env.loop, o.rate, max_count, now_ns(), [&](std::int64_t i, std::int64_t) {
    const int u = stayers[static_cast<std::size_t>(i) % stayers.size()];
    auto& conn = conns[static_cast<std::size_t>(u)];
    if (!conn || !conn->ready()) return;
    ++sent;
    conn->request({{"op", "messages.send"}, {"room_id", rooms[clients[static_cast<std::size_t>(u)].room]},
                   {"client_msg_id", "s" + std::to_string(i)}, {"type", "text"}, {"text", "storm " + std::to_string(i)}},
                  [&, u](const boost::json::object& r) {
                    if (r.at("ok") != true) return void(++errors);
                    ++acked;
                    const auto& m = r.at("data").at("message").as_object();
                    auto& c = clients[static_cast<std::size_t>(u)];
                    // A connection gets no event for its own send: the reply is how it holds it.
                    note_cmid(m);
                    hold(c, m.at("seq").as_int64(), m.at("id").as_int64());
                    room_last[c.room] = std::max(room_last[c.room], m.at("seq").as_int64());
                  });
  });
  env.loop.run_for(std::chrono::milliseconds(1000));

  std::cout << "dropping " << droppers.size() << " clients at once..." << std::endl;
  for (int u : droppers) conns[static_cast<std::size_t>(u)]->drop();
  env.loop.run_for(std::chrono::milliseconds(o.down_ms));

  std::cout << "reconnecting them..." << std::endl;
  reconnect_ns = now_ns();
  auto reconnected = env.connect(accounts, conns, prepare, droppers);
  env.report.check("all_reconnected", reconnected.failed == 0, reconnected.first_error);
  auto all_caught_up = [&] {
    for (int u : droppers)
      if (clients[static_cast<std::size_t>(u)].caught_up_ns == 0) return false;
    return true;
  };
  const bool caught_up = env.loop.run_until(all_caught_up, std::chrono::seconds(120));
  env.loop.run_for(std::chrono::milliseconds(500));
  flow.stop();
  env.loop.run_until([&] { return acked + errors == sent; }, std::chrono::seconds(30));

  // Everything sent is in; every client must now hold every seq up to its room's last.
  auto complete = [&] {
    for (const auto& c : clients)
      if (c.contiguous < room_last[c.room]) return false;
    return true;
  };
  env.loop.run_until(complete, std::chrono::seconds(30));

  Histogram catch_up;
  std::int64_t slowest = 0;
  for (int u : droppers) {
    const auto& c = clients[static_cast<std::size_t>(u)];
    if (c.caught_up_ns == 0) continue;
    catch_up.record((c.caught_up_ns - reconnect_ns) / 1000);
    slowest = std::max(slowest, c.caught_up_ns - reconnect_ns);
  }
  std::int64_t missing = 0, clients_missing = 0;
  for (const auto& c : clients) {
    std::int64_t m = 0;
    for (std::int64_t s = room_base[c.room] + 1; s <= room_last[c.room]; ++s)
      if (static_cast<std::size_t>(s) >= c.id_of_seq.size() || c.id_of_seq[static_cast<std::size_t>(s)] == 0) ++m;
    missing += m;
    clients_missing += m > 0;
  }
  env.report.figure("messages_sent", static_cast<double>(sent), "");
  env.report.figure("messages_acked", static_cast<double>(acked), "");
  env.report.figure("reconnect_seconds", reconnected.seconds, "s");
  env.report.figure("seconds_until_all_caught_up", static_cast<double>(slowest) / 1e9, "s");
  env.report.latency("catch_up", catch_up);
  env.report.check("all_caught_up", caught_up, std::to_string(catch_up.count()) + " of " + std::to_string(droppers.size()));
  env.report.check("every_send_acknowledged", errors == 0 && acked == sent,
                   std::to_string(acked) + " of " + std::to_string(sent) + ", " + std::to_string(errors) + " errors");
  const bool gapless = missing == 0 && v.total() == 0;
  const std::string verdict =
      std::to_string(missing) + " missing seqs over " + std::to_string(clients_missing) + " clients; duplicates: live " +
      std::to_string(v.live_repeat) + ", in sync " + std::to_string(v.sync_repeat) + ", seq with two messages " +
      std::to_string(v.id_mismatch) + ", client_msg_id stored twice " + std::to_string(v.cmid_twice) + ", left " +
      std::to_string(v.left_room);
  env.report.check("no_gap_no_duplicate", gapless, verdict);
  std::cout << "verdict: " << (gapless ? "no message missed or duplicated" : "MESSAGES MISSED OR DUPLICATED") << std::endl;
  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
