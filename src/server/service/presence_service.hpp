#pragma once
// Presence: online while any of a user's devices is connected to any node, with the status the
// user chose (kept in the store) and last seen (kept in the store, set when a device goes).
// Others see it only if they share a room with the user; invisible looks like offline.
//
// Going online or offline is worked out by every node on its own, from its own connections
// and from what the bus says of the other nodes; each node then tells its own connections.
// So a node that dies still has its users go offline everywhere else: the others notice.
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "bus/bus.hpp"
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
  PresenceService(WriteQueue& writes, ReadPool& reads, EventPublisher& events, bus::Bus& bus)
      : writes_(writes), reads_(reads), events_(events), bus_(bus) {}

  // A connection of the caller is live. `done` gets the snapshot that connection starts from.
  void connected(const Caller& caller, Done<PresenceSnapshot> done);
  void disconnected(const Caller& caller);
  void set_status(const Caller& caller, domain::PresenceStatus status, Done<domain::PresenceView> done);
  // `users` as others see them (invisible shows offline), in the order given: for the app's
  // backend, which shares no room with anyone. not_found when one of them does not exist.
  void seen(std::vector<UserId> users, Done<std::vector<domain::PresenceView>> done);
  // `newcomers` just came to share a room with its `members`: each side learns the other's
  // presence now rather than at its next connect. One event per pair; a group created with
  // more than kIntroduceMax members introduces the creator's side only, as its members would
  // otherwise cost the square of their number in events.
  // `members` is read by members_presence() inside the write that brought the newcomers in, and
  // introduce() is called on that write's completion: the introductions go out with its other
  // events, before its reply, never to a connection that arrives afterwards.
  [[nodiscard]] static Result<std::vector<domain::StoredPresence>> members_presence(store::StoreSession& session,
                                                                                   RoomId room);
  void introduce(const std::vector<domain::StoredPresence>& members, std::vector<UserId> newcomers);
  static constexpr std::size_t kIntroduceMax = 64;
  // The bus's word that `user`'s connections on other nodes may have changed.
  void elsewhere_changed(UserId user);
  // Tells again the changes of online state that could not be told because the store could
  // not be read, so that nobody stays shown online (or offline) for good. Called periodically.
  void retry_failed();
  // Whether any device of `user` is connected to any node, whatever status they chose: such a
  // user gets their messages live and no push.
  [[nodiscard]] bool connected(UserId user);
  // Whether `user`, connected to this node, chose to be invisible.
  [[nodiscard]] bool invisible(UserId user);
  // `user` chose a status through another node (its presence event to their own devices came
  // over the bus): what this node hides for them (typing) follows at once.
  void status_chosen_elsewhere(UserId user, domain::PresenceStatus status);

 private:
  // One per user connected here: the fields are ordered so that it packs into 16 bytes.
  struct Devices {
    // Taken from next_version_ on every change of shown_online: a telling worked out for an
    // older change is dropped, so a quick reconnect never ends with a stale "offline".
    std::uint64_t version = 0;
    int connections = 0;        // on this node
    bool shown_online = false;  // what this node's connections were last told
    bool invisible = false;     // the status chosen, as last read or set on this node
    // Set by a status change made here: a connection's snapshot, read before that change was
    // committed, must not put the older status back.
    bool status_set_here = false;
  };

  [[nodiscard]] bool online_locked(UserId user) const;
  // After any change: when the user's online state differs from what was last shown, show it.
  void reconsider_locked(UserId user);
  void tell_contacts(UserId user, bool online, std::uint64_t version);
  // A chosen status, as made in the store: tells the user's contacts and own connections.
  struct PresenceChange;
  void announce(UserId user, const PresenceChange& change);

  WriteQueue& writes_;
  ReadPool& reads_;
  EventPublisher& events_;
  bus::Bus& bus_;
  std::mutex mutex_;  // taken before the bus's own lock, never after
  std::unordered_map<UserId, Devices> devices_;
  // Tellings that failed, by user: the online state and the version they were for. Bounded by
  // the users who changed while the store was out of reach; a newer change replaces an older.
  std::mutex failed_mutex_;  // a leaf lock: guards failed_ alone
  std::unordered_map<UserId, std::pair<bool, std::uint64_t>> failed_;
  std::uint64_t next_version_ = 0;
};

}  // namespace parley::service
