// backlog: what a user with a big unread backlog costs the server. One writer fills R rooms with
// U unread messages for the reader (spread evenly) and one deep room with D more; then the
// reader, connecting only now, asks:
//   - `rooms.list`, N times one after another: its latency, and whether every room's
//     unread_count is exact (a check: the sum over the rooms must be U + D);
//   - `sync` naming every room at its last seq (what a client does on each reconnect), N times;
//   - `sync` of the deep room from its start, page after page (limit per page), until
//     has_more is false: the time to catch up D messages through the one sync path.
#include "scenarios.hpp"
#include "send_window.hpp"

#include <boost/json/array.hpp>

#include <iostream>

namespace parley::bench {
namespace {

constexpr int kSendWindow = 256;  // sends in flight on the writer's connection

}  // namespace

int run_backlog(const CommonOptions& common, const BacklogOptions& o) {
  Env env(common, "backlog");
  env.report.parameters() = {{"rooms", o.rooms},       {"unread", o.unread}, {"deep", o.deep},
                             {"repeats", o.repeats}, {"sync_limit", o.sync_limit}};
  env.start();
  auto accounts = env.register_users(2);  // [0] the writer, [1] the reader
  std::vector<std::vector<int>> groups(static_cast<std::size_t>(o.rooms + 1), std::vector<int>{0, 1});
  auto rooms = env.create_groups(accounts, groups);  // the last one is the deep room
  const std::int64_t deep_room = rooms.back();

  std::vector<std::unique_ptr<WsConn>> conns;
  auto connected = env.connect(accounts, conns, nullptr, {0});
  env.report.check("writer_connected", connected.failed == 0, connected.first_error);

  // The backlog, sent as fast as the window allows: U round-robin over the rooms, then D into
  // the deep room.
  const std::int64_t total = o.unread + o.deep;
  const auto started_filling = now_ns();
  const auto sent = send_windowed(env.loop, *conns[0], total, kSendWindow, [&](std::int64_t i) {
    const std::int64_t room = i < o.unread ? rooms[static_cast<std::size_t>(i % o.rooms)] : deep_room;
    return boost::json::object{{"op", "messages.send"}, {"room_id", room}, {"client_msg_id", "b" + std::to_string(i)},
                               {"type", "text"}, {"text", "backlog message " + std::to_string(i)}};
  });
  const std::int64_t acked = sent.ok, errors = sent.failed;
  const double fill_seconds = static_cast<double>(now_ns() - started_filling) / 1e9;
  std::cout << "backlog of " << acked << " messages sent in " << fill_seconds << " s" << std::endl;
  env.report.check("backlog_acknowledged", acked == total && errors == 0,
                   std::to_string(acked) + " of " + std::to_string(total) + ", " + std::to_string(errors) + " errors");
  env.report.figure("backlog_fill_msgs_per_s", static_cast<double>(acked) / fill_seconds, "/s");

  connected = env.connect(accounts, conns, nullptr, {1});
  env.report.check("reader_connected", connected.failed == 0, connected.first_error);
  WsConn& reader = *conns[1];

  // Requests one after another, each timed from its send to its reply.
  auto timed_series = [&](const std::function<boost::json::object()>& frame,
                          const std::function<void(const boost::json::object&)>& inspect) {
    Histogram latency;
    int done = 0;
    std::function<void()> one = [&] {
      const auto sent = now_ns();
      reader.request(frame(), [&, sent](const boost::json::object& r) {
        latency.record((now_ns() - sent) / 1000);
        inspect(r);
        if (++done < o.repeats) one();
      });
    };
    one();
    env.loop.run_until([&] { return done == o.repeats; }, std::chrono::seconds(600));
    return latency;
  };

  std::int64_t unread_seen = -1;
  bool unread_exact = true;
  std::vector<std::pair<std::int64_t, std::int64_t>> last_seqs;  // room, last_seq
  auto list = timed_series([] { return boost::json::object{{"op", "rooms.list"}}; },
                           [&](const boost::json::object& r) {
                             if (r.at("ok") != true) return void(unread_exact = false);
                             std::int64_t sum = 0;
                             last_seqs.clear();
                             for (const auto& room : r.at("data").at("rooms").as_array()) {
                               sum += room.at("unread_count").as_int64();
                               last_seqs.emplace_back(room.at("id").as_int64(), room.at("last_seq").as_int64());
                             }
                             if (unread_seen >= 0 && sum != unread_seen) unread_exact = false;
                             unread_seen = sum;
                           });
  env.report.latency("rooms_list", list);
  env.report.check("unread_counts_exact", unread_exact && unread_seen == total,
                   "the rooms' unread counts add up to " + std::to_string(unread_seen) + " of " + std::to_string(total));

  boost::json::array every_room;
  for (const auto& [room, last] : last_seqs) every_room.push_back(boost::json::object{{"room_id", room}, {"after_seq", last}});
  bool sync_ok = true;
  auto sync_all = timed_series(
      [&] { return boost::json::object{{"op", "sync"}, {"rooms", every_room}, {"limit", o.sync_limit}}; },
      [&](const boost::json::object& r) { sync_ok = sync_ok && r.at("ok") == true; });
  env.report.latency("sync_every_room_at_its_end", sync_all);
  env.report.check("syncs_answered", sync_ok, "");

  // The deep room from its start, page by page.
  std::int64_t caught_up = 0, pages = 0, last_held = 0;
  bool deep_done = false, deep_in_order = true;
  const auto catch_up_started = now_ns();
  std::function<void(std::int64_t)> page = [&](std::int64_t after) {
    boost::json::array wanted{boost::json::object{{"room_id", deep_room}, {"after_seq", after}}};
    reader.request({{"op", "sync"}, {"rooms", wanted}, {"limit", o.sync_limit}}, [&](const boost::json::object& r) {
      ++pages;
      if (r.at("ok") != true) return void(deep_done = true);
      const auto& entry = r.at("data").at("catch_up").as_array().at(0).as_object();
      for (const auto& m : entry.at("messages").as_array()) {
        const std::int64_t seq = m.at("seq").as_int64();
        if (seq != last_held + 1) deep_in_order = false;
        last_held = seq;
        if (m.at("type").as_string() != "system") ++caught_up;
      }
      if (entry.at("has_more").as_bool()) return page(last_held);
      deep_done = true;
    });
  };
  page(0);
  env.loop.run_until([&] { return deep_done; }, std::chrono::seconds(3600));
  const double catch_up_seconds = static_cast<double>(now_ns() - catch_up_started) / 1e9;
  env.report.figure("deep_sync_seconds", catch_up_seconds, "s");
  env.report.figure("deep_sync_pages", static_cast<double>(pages), "");
  env.report.check("deep_room_caught_up_in_order", deep_in_order && caught_up == o.deep,
                   std::to_string(caught_up) + " of " + std::to_string(o.deep) + " messages, " +
                       (deep_in_order ? "in order" : "OUT OF ORDER"));

  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
