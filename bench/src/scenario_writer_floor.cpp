// writer-floor: the store's own cost per message, with no server and no network. One thread,
// pinned to the server's CPU, does to an embedded SQLite store what parleyd's writer does for
// each send: a savepoint, the read of the room and the sender's membership that authorizes
// the send, the message's insert, the savepoint's release; and it commits every `batch`
// messages, synced to disk before the commit returns, as the group commit does. The store's
// checkpoint thread runs as in parleyd.
//
// The process's CPU per message is what storing a message costs before any frame is read or
// sent: the part of throughput's server_cpu_us_per_send (rooms of one) no change outside the
// store can take away.
#include "cpu_time.hpp"
#include "loop.hpp"
#include "scenarios.hpp"
#include "scratch_directory.hpp"

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace parley::bench {
namespace {

template <typename T>
T checked(Result<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string("writer-floor: ") + what + ": " + result.error().message);
  return std::move(*result);
}
void checked(Result<void> result, const char* what) {
  if (!result) throw std::runtime_error(std::string("writer-floor: ") + what + ": " + result.error().message);
}

struct Room {
  RoomId id;
  std::vector<UserId> members;
};

// `rooms` groups of `room_size` members each, every user in one room, committed at once.
std::vector<Room> make_rooms(store::StoreSession& session, int rooms, int room_size) {
  std::vector<Room> made;
  checked(session.begin_write(), "begin");
  for (int r = 0; r < rooms; ++r) {
    Room room;
    for (int m = 0; m < room_size; ++m) {
      auto user = checked(session.insert_user(store::NewUser{.username = "floor" + std::to_string(r) + "_" + std::to_string(m),
                                                             .display_name = "Floor",
                                                             .password_hash = "-"}),
                          "insert_user");
      room.members.push_back(user.id);
    }
    auto inserted = checked(session.insert_room(domain::Room{.kind = domain::RoomKind::group,
                                                             .name = "floor " + std::to_string(r),
                                                             .created_by = room.members.front()},
                                                std::nullopt),
                            "insert_room");
    room.id = inserted.id;
    for (std::size_t m = 0; m < room.members.size(); ++m)
      checked(session.insert_member(domain::Member{
                  .room_id = room.id, .user_id = room.members[m], .role = m == 0 ? domain::Role::admin : domain::Role::member}),
              "insert_member");
    made.push_back(std::move(room));
  }
  checked(session.commit(), "commit");
  return made;
}

}  // namespace

int run_writer_floor(const CommonOptions& common, const WriterFloorOptions& o) {
  Env env(common, "writer-floor");
  env.report.parameters() = {{"rooms", o.rooms},     {"room_size", o.room_size}, {"batch", o.batch},
                             {"seconds", o.seconds}, {"durable", o.durable},     {"writer_cpu", common.server.cpu}};
  ScratchDirectory directory("parley-bench-store");
  auto store = store::make_sqlite_store({.path = (directory.path / "parley.db").string(), .durable = o.durable});
  checked(store->migrate(), "migrate");
  auto session = checked(store->open_session(), "open_session");
  const auto rooms = make_rooms(*session, o.rooms, o.room_size);

  std::int64_t stored = 0;
  std::int64_t refused = 0;
  double wall_seconds = 0;
  double writer_cpu = 0;
  double process_cpu = 0;
  // On a thread of its own, pinned as parleyd's writer would be; the checkpoint thread the
  // store started stays where it is, and the process's CPU counts it.
  on_cpu(common.server.cpu, [&] {
    const double process_start = process_cpu_seconds();
    const double writer_start = thread_cpu_seconds();
    const std::int64_t start = now_ns();
    const std::int64_t end = start + static_cast<std::int64_t>(o.seconds * 1e9);
    std::size_t next_room = 0;
    std::int64_t now = start;
    while (now < end) {
      checked(session->begin_write(), "begin");
      for (int i = 0; i < o.batch; ++i) {
        const Room& room = rooms[next_room];
        next_room = (next_room + 1) % rooms.size();
        const UserId sender = room.members[static_cast<std::size_t>(stored % static_cast<std::int64_t>(room.members.size()))];
        checked(session->savepoint(), "savepoint");
        auto found = checked(session->find_room_with_member(room.id, sender), "find_room_with_member");
        if (!found || !found->member) {
          ++refused;
          session->rollback_to_savepoint();
          continue;
        }
        domain::Message message;
        message.room_id = room.id;
        message.sender_id = sender;
        message.client_msg_id = "f" + std::to_string(stored);
        message.text = std::to_string(now_ns());  // a send time, as throughput's texts are
        message.created_at_ms = now / 1'000'000;
        checked(session->append_message(message), "append_message");
        checked(session->release_savepoint(), "release_savepoint");
        ++stored;
      }
      checked(session->commit(), "commit");
      now = now_ns();
    }
    wall_seconds = static_cast<double>(now - start) / 1e9;
    writer_cpu = thread_cpu_seconds() - writer_start;
    process_cpu = process_cpu_seconds() - process_start;
  });

  if (stored > 0) {
    const double per_message = 1e6 / static_cast<double>(stored);
    env.report.figure("messages_per_s", static_cast<double>(stored) / wall_seconds, "msg/s");
    env.report.figure("writer_cpu_us_per_message", writer_cpu * per_message, "µs");
    env.report.figure("process_cpu_us_per_message", process_cpu * per_message, "µs");
  }
  env.report.check("messages_stored", stored > 0 && refused == 0,
                   std::to_string(stored) + " stored, " + std::to_string(refused) + " refused");
  std::cout << std::flush;
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
