#pragma once
// Presence: online while any of a user's devices is connected to this node, with the status
// the user chose (kept in the store) and last seen (kept in the store, set when the last device
// goes). Others see it only if they share a room with the user; invisible looks like offline.
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "domain/presence.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct PresenceSnapshot {
  domain::PresenceView self;                   // the truth, for the user's own devices
  std::vector<domain::PresenceView> contacts;  // everyone sharing a room, as they may be seen
};

class PresenceService {
 public:
  PresenceService(WriteQueue& writes, ReadPool& reads, EventPublisher& events)
      : writes_(writes), reads_(reads), events_(events) {}

  // A connection of the caller is live. `done` gets the snapshot that connection starts from.
  void connected(const Caller& caller, Done<PresenceSnapshot> done);
  void disconnected(const Caller& caller);
  void set_status(const Caller& caller, domain::PresenceStatus status, Done<domain::PresenceView> done);
  // `newcomers` just came to share `room` with its members: each side learns the other's
  // presence now rather than at its next connect. One event per pair; a group created with
  // more than kIntroduceMax members introduces the creator's side only, as its members would
  // otherwise cost the square of their number in events.
  void introduce(RoomId room, std::vector<UserId> newcomers);
  static constexpr std::size_t kIntroduceMax = 64;

 private:
  struct Devices {
    int connections = 0;
    // Moves on every change of `connections` between zero and non-zero: an event computed
    // for an older change is dropped, so a quick reconnect never ends with a stale "offline".
    std::uint64_t version = 0;
  };

  [[nodiscard]] bool is_connected(UserId user);

  WriteQueue& writes_;
  ReadPool& reads_;
  EventPublisher& events_;
  std::mutex mutex_;
  std::unordered_map<UserId, Devices> devices_;
};

}  // namespace parley::service
