#pragma once
// The one catch-up path: a client says the last seq it holds per room; the answer is every room
// it is in now, what it missed in the rooms it named (bounded, with has_more), the members'
// watermarks there, and the rooms it named but has left. First login, reconnect and a new
// device all use it.
#include <vector>

#include "domain/message.hpp"
#include "domain/room_summary.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"

namespace parley::service {

struct SyncRequest {
  struct Position {
    RoomId room;
    Seq after = 0;  // the last seq the client holds
  };
  std::vector<Position> rooms;
  int limit = 100;  // messages per room
};

struct RoomCatchUp {
  RoomId room;
  std::vector<domain::Message> messages;  // seq > after, oldest first
  bool has_more = false;                  // more after the last one: sync again from there
  std::vector<domain::Member> members;    // current watermarks
};

struct SyncResult {
  std::vector<domain::RoomSummary> rooms;
  std::vector<RoomCatchUp> catch_up;
  std::vector<RoomId> left;
};

class SyncService {
 public:
  // A sync names at most this many rooms, and takes at most this many messages per room: one
  // request stays cheap however long a client was away; it simply asks again.
  static constexpr std::size_t kMaxRooms = 1000;
  static constexpr int kMaxLimit = 500;

  explicit SyncService(ReadPool& reads) : reads_(reads) {}
  void sync(const Caller& caller, SyncRequest request, Done<SyncResult> done);
  // One room's messages after `after`, oldest first, at most `limit` (1 to kMaxLimit), with
  // has_more: the catch-up of sync without the rest of it (a Realtime channel's, say).
  // not_found when the caller is not a member.
  void messages_after(const Caller& caller, RoomId room, Seq after, int limit, Done<RoomCatchUp> done);

 private:
  ReadPool& reads_;
};

}  // namespace parley::service
