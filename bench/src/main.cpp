// parley-bench: how fast Parley is. One subcommand per scenario, and `smoke`, which runs every
// scenario at a tiny size as a test of the bench and of the server's correctness under load.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sys/resource.h>

#include "scenarios.hpp"

#ifndef PARLEY_BENCH_DEFAULT_PARLEYD
#define PARLEY_BENCH_DEFAULT_PARLEYD "parleyd"
#endif

using namespace parley::bench;

namespace {

// Each connection is a file; a process may not hold more than the hard limit.
void raise_open_files_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::string joined(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    if (i) s += ' ';
    s += argv[i];
  }
  return s;
}

void add_common(CLI::App& app, CommonOptions& c, std::vector<std::string>& server_args) {
  app.add_option("--parleyd", c.server.parleyd, "parleyd binary to start")->capture_default_str();
  app.add_option("--server", c.server.url, "use this running server (http://127.0.0.1:PORT) instead of starting one");
  app.add_option("--server-pid", c.server.pid, "with --server: its pid, to read its memory");
  app.add_option("--also-server", c.other_nodes,
                 "with --server: another node of its cluster (repeat); connections are spread over all nodes in turn");
  app.add_option("--server-cpu", c.server.cpu, "pin the started server to this CPU (as taskset -c)");
  app.add_option("--server-arg", server_args, "one more flag for the started parleyd (repeat; e.g. --server-arg=--durability=process)");
  app.add_option("--password-memory-kib", c.server.password_memory_kib, "argon2id memory of the started server")->capture_default_str();
  app.add_option("--results-dir", c.results_dir, "where the JSON report goes")->capture_default_str();
  app.add_flag("!--no-record", c.record, "print the table only; write no JSON report");
  app.add_option("--source-addresses", c.source_addresses, "spread connections over 127.0.0.1..N (0: as the ports need)");
  app.add_option("--connect-concurrency", c.connect_concurrency, "connection attempts in flight")->capture_default_str();
  app.add_option("--http-parallel", c.http_parallel, "setup requests in flight")->capture_default_str();
}

int smoke(CommonOptions common) {
  // Tiny sizes: the point is that every scenario runs end to end and its checks hold.
  common.record = false;
  int failures = 0;
  auto run = [&](const char* name, auto fn) {
    std::cout << "---- smoke: " << name << std::endl;
    int rc = 1;
    try {
      rc = fn();
    } catch (const std::exception& e) {
      std::cout << name << " failed: " << e.what() << std::endl;
    }
    if (rc != 0) ++failures;
  };
  run("connections", [&] { return run_connections(common, {20, 10, 200}); });
  run("dm-latency", [&] { return run_dm_latency(common, {2, 100, 1, 0}); });
  ThroughputOptions t;
  t.rooms = 2;
  t.steps = {200, 200};
  t.step_seconds = 1;
  t.floor_seconds = 0.1;
  run("throughput", [&] { return run_throughput(common, t); });
  run("fanout", [&] { return run_fanout(common, {20, 10, 1, 5}); });
  run("reconnect-storm", [&] { return run_reconnect_storm(common, {10, 50, 300, 5}); });
  run("typing-presence", [&] { return run_typing_presence(common, {2, 5, 40, 1}); });
  run("loopback-ceiling", [&] { return run_loopback_ceiling(common, {10, 200, {1, 4}, 0.1, 10}); });
  run("backlog", [&] { return run_backlog(common, {3, 30, 40, 3, 7}); });
  run("transfer", [&] { return run_transfer(common, {1, 2, 2}); });
  run("catch-up", [&] { return run_catch_up(common, {5, 7}); });
  run("writer-floor", [&] { return run_writer_floor(common, {10, 2, 8, 0.1, true}); });
  std::cout << (failures ? "smoke: FAIL" : "smoke: PASS") << std::endl;
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  raise_open_files_limit();
  CommonOptions common;
  common.server.parleyd = PARLEY_BENCH_DEFAULT_PARLEYD;
  common.command = joined(argc, argv);
  std::vector<std::string> server_args;

  CLI::App app{"parley-bench: load generator and benchmark for parleyd"};
  app.require_subcommand(1);

  ConnectionsOptions conn;
  auto* c = app.add_subcommand("connections", "N idle authenticated connections: server memory per connection, time to connect");
  c->add_option("-n,--connections", conn.connections)->capture_default_str();
  c->add_option("--room-size", conn.room_size)->capture_default_str();
  c->add_option("--settle-ms", conn.settle_ms)->capture_default_str();

  DmLatencyOptions dm;
  auto* d = app.add_subcommand("dm-latency", "pairs in direct rooms at a fixed open-loop rate: end-to-end and ack latency");
  d->add_option("-p,--pairs", dm.pairs)->capture_default_str();
  d->add_option("-r,--rate", dm.rate, "messages per second, all pairs together")->capture_default_str();
  d->add_option("-d,--seconds", dm.seconds)->capture_default_str();
  d->add_option("--warmup", dm.warmup_seconds, "seconds sent but not recorded")->capture_default_str();
  d->add_option("--wrong-logins", dm.wrong_logins.rate, "wrong-password logins a second beside the messages")
      ->capture_default_str();
  d->add_option("--wrong-login-addresses", dm.wrong_logins.addresses,
                "the guesses come from 127.0.0.1..N (N up to 250)")
      ->capture_default_str();

  ThroughputOptions tp;
  auto* t = app.add_subcommand("throughput", "many senders in rooms of 10, open-loop rate stepped up until it no longer holds");
  t->add_option("--rooms", tp.rooms)->capture_default_str();
  t->add_option("--room-size", tp.room_size)->capture_default_str();
  t->add_option("--steps", tp.steps, "target rates, msg/s")->delimiter(',')->capture_default_str();
  t->add_option("--step-seconds", tp.step_seconds)->capture_default_str();
  t->add_option("--p99-limit-ms", tp.p99_limit_ms)->capture_default_str();
  t->add_option("--floor-seconds", tp.floor_seconds,
                "loopback-ceiling's floor, measured first for the per-send ratio; 0: not measured")
      ->capture_default_str();

  FanoutOptions fo;
  auto* f = app.add_subcommand("fanout", "one room of M members, one sender: deliveries per second, time to the last member");
  f->add_option("-m,--members", fo.members)->capture_default_str();
  f->add_option("-r,--rate", fo.rate)->capture_default_str();
  f->add_option("-d,--seconds", fo.seconds)->capture_default_str();
  f->add_option("--burst", fo.burst)->capture_default_str();
  f->add_option("--offline-members", fo.offline_members, "members more, never connected, each with a push target")
      ->capture_default_str();
  f->add_option("--push-gateway", fo.push_gateway, "the push gateway URL of the offline members' targets");

  StormOptions st;
  auto* s = app.add_subcommand("reconnect-storm", "K clients drop at once while messages flow, reconnect and sync");
  s->add_option("-k,--clients", st.clients)->capture_default_str();
  s->add_option("-r,--rate", st.rate)->capture_default_str();
  s->add_option("--down-ms", st.down_ms)->capture_default_str();
  s->add_option("--sync-limit", st.sync_limit)->capture_default_str();

  TypingPresenceOptions tpo;
  auto* y = app.add_subcommand("typing-presence", "typing and presence events under load: latency to the other members");
  y->add_option("--rooms", tpo.rooms)->capture_default_str();
  y->add_option("--room-size", tpo.room_size)->capture_default_str();
  y->add_option("-r,--rate", tpo.rate)->capture_default_str();
  y->add_option("-d,--seconds", tpo.seconds)->capture_default_str();

  LoopbackCeilingOptions lc;
  auto* l = app.add_subcommand("loopback-ceiling",
                               "no server: the kernel's own cost per send on loopback TCP, from the server's CPU, and the "
                               "message rate it bounds");
  l->add_option("-n,--connections", lc.connections)->capture_default_str();
  l->add_option("--frame-bytes", lc.frame_bytes)->capture_default_str();
  l->add_option("--frames-per-send", lc.frames_per_send, "one round per entry")->delimiter(',')->capture_default_str();
  l->add_option("-d,--seconds", lc.seconds, "per round")->capture_default_str();
  l->add_option("--room-size", lc.room_size, "for the bound: sends per message")->capture_default_str();

  BacklogOptions bl;
  auto* b = app.add_subcommand("backlog",
                               "a reader with a big unread backlog: rooms.list and sync latency, exact unread counts, "
                               "and the time to sync one deep room from its start");
  b->add_option("--rooms", bl.rooms)->capture_default_str();
  b->add_option("--unread", bl.unread, "messages over those rooms, none read")->capture_default_str();
  b->add_option("--deep", bl.deep, "messages more in one room, synced from its start")->capture_default_str();
  b->add_option("--repeats", bl.repeats, "rooms.list and sync requests timed")->capture_default_str();
  b->add_option("--sync-limit", bl.sync_limit)->capture_default_str();

  TransferOptions tr;
  auto* x = app.add_subcommand("transfer", "one file uploaded several times, then downloaded several times: MB/s, server peak RSS");
  x->add_option("--mib", tr.mib, "the file's size in MiB")->capture_default_str();
  x->add_option("--uploads", tr.uploads)->capture_default_str();
  x->add_option("--downloads", tr.downloads)->capture_default_str();

  CatchUpOptions cu;
  auto* u = app.add_subcommand("catch-up",
                               "a user of the SDK away while messages arrive in many rooms: time from reconnecting until "
                               "the SDK's local store holds them all");
  u->add_option("--rooms", cu.rooms)->capture_default_str();
  u->add_option("--messages-per-room", cu.messages_per_room)->capture_default_str();

  WriterFloorOptions wf;
  auto* w = app.add_subcommand("writer-floor",
                               "no server: what parleyd's writer does to an embedded SQLite store per send, from the server's "
                               "CPU: CPU per message and messages per second");
  w->add_option("--rooms", wf.rooms)->capture_default_str();
  w->add_option("--room-size", wf.room_size)->capture_default_str();
  w->add_option("--batch", wf.batch, "messages per commit, as a group commit gathers them")->capture_default_str();
  w->add_option("-d,--seconds", wf.seconds)->capture_default_str();
  w->add_option("--durable", wf.durable, "each commit synced to disk before it returns, as parleyd's default")
      ->capture_default_str();

  auto* sm = app.add_subcommand("smoke", "every scenario at a tiny size; fails if one fails its checks; records nothing");

  for (auto* sub : {c, d, t, f, s, y, l, b, x, u, w, sm}) add_common(*sub, common, server_args);
  CLI11_PARSE(app, argc, argv);
  common.server.extra_args = server_args;

  try {
    if (c->parsed()) return run_connections(common, conn);
    if (d->parsed()) return run_dm_latency(common, dm);
    if (t->parsed()) return run_throughput(common, tp);
    if (f->parsed()) return run_fanout(common, fo);
    if (s->parsed()) return run_reconnect_storm(common, st);
    if (y->parsed()) return run_typing_presence(common, tpo);
    if (l->parsed()) return run_loopback_ceiling(common, lc);
    if (b->parsed()) return run_backlog(common, bl);
    if (x->parsed()) return run_transfer(common, tr);
    if (u->parsed()) return run_catch_up(common, cu);
    if (w->parsed()) return run_writer_floor(common, wf);
    if (sm->parsed()) return smoke(common);
  } catch (const std::exception& e) {
    std::cerr << "parley-bench: " << e.what() << std::endl;
    return 2;
  }
  return 2;
}
