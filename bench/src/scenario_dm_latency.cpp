// dm-latency: pairs of users in direct rooms trade messages at a fixed open-loop rate.
// End-to-end latency runs from the scheduled send time until the other side has the `message`
// event; acknowledgement latency until the sender has the reply (after the commit's fsync).
#include "open_loop.hpp"
#include "scenarios.hpp"

#include <iostream>
#include <map>

namespace parley::bench {

int run_dm_latency(const CommonOptions& common, const DmLatencyOptions& o) {
  Env env(common, "dm-latency");
  env.report.parameters() = {{"pairs", o.pairs}, {"rate_msgs_per_s", o.rate}, {"seconds", o.seconds},
                             {"warmup_seconds", o.warmup_seconds}, {"wrong_logins_per_s", o.wrong_logins.rate},
                             {"wrong_login_addresses", o.wrong_logins.addresses}};
  env.start();
  auto accounts = env.register_users(2 * o.pairs);
  auto rooms = env.direct_rooms(accounts);

  Histogram e2e, ack;
  std::int64_t delivered = 0, acked = 0, errors = 0, out_of_order = 0, closed = 0;
  std::map<std::string, std::int64_t> error_codes;
  std::int64_t record_from_ns = 0;  // set once the schedule is known
  std::vector<std::int64_t> last_seq(accounts.size(), 0);

  std::vector<std::unique_ptr<WsConn>> conns;
  auto connected = env.connect(accounts, conns, [&](int i, WsConn& c) {
    c.on_event([&, i](const std::string& name, const boost::json::object& data) {
      if (name != "message") return;
      const auto& m = data.at("message").as_object();
      const std::int64_t stamp = read_stamp(m.at("text").as_string());
      if (stamp == 0) return;
      ++delivered;
      // One room per connection here, so seq must only go up on it.
      const std::int64_t seq = m.at("seq").as_int64();
      if (seq <= last_seq[static_cast<std::size_t>(i)]) ++out_of_order;
      last_seq[static_cast<std::size_t>(i)] = seq;
      if (stamp >= record_from_ns) e2e.record((now_ns() - stamp) / 1000);
    });
    c.on_closed([&](int) { ++closed; });
  });
  env.report.check("all_connected", connected.failed == 0, connected.first_error);

  const auto count = static_cast<std::int64_t>((o.warmup_seconds + o.seconds) * o.rate);
  const std::int64_t start = now_ns() + 100'000'000;
  record_from_ns = start + static_cast<std::int64_t>(o.warmup_seconds * 1e9);
  std::int64_t sent = 0;
  std::vector<std::string> usernames;
  for (const auto& a : accounts) usernames.push_back(a.username);
  LoginFlood guesser(env.server.host(), env.server.port(), usernames, o.wrong_logins);
  std::cout << "sending " << count << " messages at " << o.rate << "/s..." << std::endl;
  OpenLoop schedule(env.loop, o.rate, count, start, [&](std::int64_t i, std::int64_t due) {
    // Each pair alternates direction, so both sides send and receive.
    const auto pair = static_cast<std::size_t>(i % o.pairs);
    const auto from = 2 * pair + static_cast<std::size_t>((i / o.pairs) % 2);
    if (!conns[from] || !conns[from]->ready()) return;
    ++sent;
    conns[from]->request({{"op", "messages.send"}, {"room_id", rooms[pair]}, {"client_msg_id", "m" + std::to_string(i)},
                          {"type", "text"}, {"text", stamp_text(due)}},
                         [&, due](const boost::json::object& r) {
                           if (r.at("ok") == true) {
                             ++acked;
                             if (due >= record_from_ns) ack.record((now_ns() - due) / 1000);
                           } else {
                             ++errors;
                             ++error_codes[std::string(r.at("error").at("code").as_string())];
                           }
                         });
  });
  const auto total_ms = std::chrono::milliseconds(static_cast<long>((o.warmup_seconds + o.seconds) * 1000) + 30000);
  env.loop.run_until([&] { return schedule.finished() && acked + errors == sent && delivered == acked; }, total_ms);

  guesser.stop();
  if (o.wrong_logins.rate > 0) {
    env.report.figure("wrong_logins", static_cast<double>(guesser.attempts()), "");
    env.report.figure("wrong_logins_rate", guesser.achieved_rate(), "/s");
    for (const auto& [status, n] : guesser.answers())
      env.report.figure("wrong_logins_answered_" + std::to_string(status), static_cast<double>(n), "");
  }
  env.report.figure("sent", static_cast<double>(sent), "");
  env.report.figure("acknowledged", static_cast<double>(acked), "");
  env.report.figure("delivered", static_cast<double>(delivered), "");
  env.report.latency("end_to_end", e2e);
  env.report.latency("ack", ack);
  std::string codes;
  for (const auto& [code, n] : error_codes) codes += code + "=" + std::to_string(n) + " ";
  env.report.check("every_send_acknowledged", acked == sent && sent == count,
                   std::to_string(acked) + " of " + std::to_string(count) + " scheduled; errors: " + (codes.empty() ? "none" : codes));
  env.report.check("every_message_delivered", delivered == acked, std::to_string(delivered) + " of " + std::to_string(acked));
  env.report.check("in_seq_order", out_of_order == 0, std::to_string(out_of_order) + " out of order or repeated");
  env.report.check("no_connection_lost", closed == 0, std::to_string(closed) + " closed by the server");
  env.check_server_alive();
  env.take_metrics_after();
  conns.clear();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
