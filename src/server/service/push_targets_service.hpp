#pragma once
// The push targets a user's devices register (docs/push.md), and the per-room mute: the
// caller's own, never anyone else's.
#include <atomic>
#include <cstdint>
#include <variant>
#include <vector>

#include "domain/push.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

// Whether any push target exists, for the message path to skip push entirely while none does.
// Set when a target is registered here; a node that has seen none looks at the store again
// now and then (PushOutbox), since another node may have registered one.
class PushInUse {
 public:
  [[nodiscard]] bool known() const { return in_use_.load(std::memory_order_relaxed); }
  void set() { in_use_.store(true, std::memory_order_relaxed); }

 private:
  std::atomic<bool> in_use_{false};
};

struct RoomMute {
  RoomId room;
  bool muted = false;
};

class PushTargetsService {
 public:
  PushTargetsService(WriteQueue& writes, ReadPool& reads, PushInUse& in_use)
      : writes_(writes), reads_(reads), in_use_(in_use) {}

  // Validates and stores the target for the caller; the same key again updates it (and a device
  // that signed in to another account moves to the caller). conflict when the caller has
  // domain::limits::kPushTargetsPerUserMax targets already.
  void register_target(const Caller& caller, domain::PushTarget target, Done<domain::PushTarget> done);
  void list(const Caller& caller, Done<std::vector<domain::PushTarget>> done);
  // not_found when the caller has no target with that id.
  void remove(const Caller& caller, std::int64_t id, Done<std::monostate> done);
  // not_found when the caller is not a member of the room.
  void set_muted(const Caller& caller, RoomId room, bool muted, Done<RoomMute> done);

 private:
  WriteQueue& writes_;
  ReadPool& reads_;
  PushInUse& in_use_;
};

}  // namespace parley::service
