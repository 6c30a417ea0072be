#pragma once
// Who is connected to this node, and in which rooms: the fan-out of bus events to connections.
//
// Rooms are tracked per user, not per connection: all of a user's devices are in the same rooms.
// A user's room list is loaded from the store when their first connection arrives; membership
// changes that arrive while it loads are kept and applied after it, so a change is never lost
// between the load and the subscription.
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bus/bus.hpp"
#include "server/hub/subscriber.hpp"

namespace parley::hub {

class Hub {
 public:
  // Registers a connection. Returns true when the caller must load the user's rooms and call
  // finish_attach (the user had no other connection here).
  bool begin_attach(const std::shared_ptr<Subscriber>& subscriber);
  void finish_attach(UserId user, const std::vector<RoomId>& rooms);
  void detach(const Subscriber& subscriber);

  // The bus handler. Delivery happens outside the lock: frames are queued, never written here.
  void on_event(const bus::Event& event);

  // True when `user` has a connection here whose room list is loaded and holds `room`. A
  // membership change reaches it with the change's event, just after the commit.
  [[nodiscard]] bool knows_member(UserId user, RoomId room) const;

  [[nodiscard]] std::size_t connection_count() const;
  // Every connection, e.g. to close them all at shutdown.
  [[nodiscard]] std::vector<std::shared_ptr<Subscriber>> connections() const;

 private:
  // One per connected user, so kept small: the usual user has one connection, and a handful of
  // rooms fit inline too. An unordered_set of rooms cost over 200 bytes for a user in one room.
  struct UserEntry {
    boost::container::small_vector<std::shared_ptr<Subscriber>, 1> connections;
    boost::container::small_vector<RoomId, 1> rooms;  // sorted
    // Changes that arrived while the room list was loading; held only during that load.
    std::unique_ptr<std::vector<bus::MembershipChange>> pending;
    bool loaded = false;
  };

  void apply(UserId user, UserEntry& entry, const bus::MembershipChange& change);
  static void deliver_to(const std::vector<std::shared_ptr<Subscriber>>& targets, const Frame& frame);

  // A room of ten is the common case; this leaves room for larger groups and many devices.
  static constexpr std::size_t kWakeOnceUpTo = 64;

  mutable std::shared_mutex mutex_;
  std::unordered_map<UserId, UserEntry> users_;
  std::unordered_map<RoomId, std::unordered_set<UserId>> room_users_;
  std::size_t connection_count_ = 0;
};

}  // namespace parley::hub
