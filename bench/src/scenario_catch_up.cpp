// catch-up: a user of the SDK (parley::Client, the library an app embeds) is away while
// messages arrive in each of their R rooms, M per room; measured: from connect() until
// wait_online() says the SDK is caught up, and checked: its local store then holds every one of
// those messages, in each room, without a gap.
#include "scenarios.hpp"
#include "scratch_directory.hpp"
#include "send_window.hpp"

#include <parley/client.hpp>

#include <filesystem>
#include <iostream>

namespace parley::bench {
namespace {

constexpr int kSendWindow = 256;  // sends in flight on the writer's connection
constexpr auto kCatchUpTimeout = std::chrono::minutes(30);

}  // namespace

int run_catch_up(const CommonOptions& common, const CatchUpOptions& o) {
  Env env(common, "catch-up");
  env.report.parameters() = {{"rooms", o.rooms}, {"messages_per_room", o.messages_per_room}};
  env.start();
  auto accounts = env.register_users(2);  // [0] the writer, [1] the user who is away
  std::vector<std::vector<int>> groups(static_cast<std::size_t>(o.rooms), std::vector<int>{0, 1});
  auto rooms = env.create_groups(accounts, groups);

  // The away user's SDK, signed in and caught up once before they go away: its store holds the
  // rooms as they were.
  ScratchDirectory data("parley-bench-sdk");  // the SDK's data directory
  auto opened = Client::open(ClientOptions{
      .server = "http://" + env.server.host() + ":" + std::to_string(env.server.port()), .data_dir = data.path});
  if (!opened) throw std::runtime_error("the SDK did not open: " + opened.error().message);
  auto& sdk = **opened;
  if (auto in = sdk.login(accounts[1].username, kBenchPassword); !in)
    throw std::runtime_error("the SDK did not sign in: " + in.error().message);
  sdk.connect();
  env.report.check("sdk_online_before", sdk.wait_online(std::chrono::minutes(5)), "");
  sdk.disconnect();

  std::vector<std::unique_ptr<WsConn>> conns;
  auto connected = env.connect(accounts, conns, nullptr, {0});
  env.report.check("writer_connected", connected.failed == 0, connected.first_error);
  const std::int64_t total = static_cast<std::int64_t>(o.rooms) * o.messages_per_room;
  const auto sent = send_windowed(env.loop, *conns[0], total, kSendWindow, [&](std::int64_t i) {
    return boost::json::object{{"op", "messages.send"}, {"room_id", rooms[static_cast<std::size_t>(i % o.rooms)]},
                               {"client_msg_id", "c" + std::to_string(i)}, {"type", "text"},
                               {"text", "while you were away " + std::to_string(i)}};
  });
  const std::int64_t acked = sent.ok, errors = sent.failed;
  env.report.check("missed_messages_acknowledged", acked == total && errors == 0,
                   std::to_string(acked) + " of " + std::to_string(total) + ", " + std::to_string(errors) + " errors");
  conns.clear();

  std::cout << "the away user returns to " << total << " new messages in " << o.rooms << " rooms..." << std::endl;
  const auto returned = now_ns();
  sdk.connect();
  const bool caught_up = sdk.wait_online(kCatchUpTimeout);
  const double seconds = static_cast<double>(now_ns() - returned) / 1e9;
  env.report.check("sdk_caught_up", caught_up, caught_up ? "" : "wait_online gave up");
  env.report.figure("seconds_until_the_sdk_holds_them", seconds, "s");
  env.report.figure("messages_per_s", static_cast<double>(total) / seconds, "/s");

  // Every missed message in the local store, each room's held seqs contiguous to its end.
  std::int64_t held = 0, rooms_with_gap = 0;
  for (const auto& room_id : rooms) {
    const RoomId room{room_id};
    const auto local = sdk.room(room);
    const auto messages = sdk.messages(room, static_cast<std::size_t>(o.messages_per_room) + 50);
    bool gap = !local || messages.empty() || messages.back().seq != local->last_seq;
    for (std::size_t i = 1; i < messages.size(); ++i) gap = gap || messages[i].seq != messages[i - 1].seq + 1;
    rooms_with_gap += gap;
    for (const auto& m : messages) held += m.text.starts_with("while you were away ");
  }
  env.report.check("sdk_holds_every_missed_message", held == total && rooms_with_gap == 0,
                   std::to_string(held) + " of " + std::to_string(total) + " held, " + std::to_string(rooms_with_gap) +
                       " rooms with a gap");
  sdk.disconnect();
  env.check_server_alive();
  env.take_metrics_after();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
