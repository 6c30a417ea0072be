#pragma once
// Who is connected to this node, and in which rooms: the fan-out of bus events to connections.
//
// Rooms are tracked per user, not per connection: all of a user's devices are in the same rooms.
// A user's room list is loaded from the store when their first connection arrives; membership
// changes that arrive while it loads are kept and applied after it, so a change is never lost
// between the load and the subscription.
//
// A room's messages go through its RoomStream, which delivers them in seq order whatever road
// they came by; a gap is held back and reported (gaps_due) for the repair to fill from the store.
//
// Lock order: a room stream's mutex, then the hub's mutex_. Delivery of a room's messages
// happens under its stream's mutex, so two threads never put them in a mailbox out of order.
#include <boost/container/small_vector.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bus/bus.hpp"
#include "domain/room.hpp"
#include "server/hub/room_stream.hpp"
#include "server/hub/subscriber.hpp"
#include "server/service/live_rooms.hpp"

namespace parley::hub {

class Hub final : public service::LiveRooms {
 public:

  // Registers a connection. Returns true when the caller must load the user's rooms and call
  // finish_attach (the user had no other connection here).
  bool begin_attach(const std::shared_ptr<Subscriber>& subscriber);
  // `rooms` with the seq each stood at when read: a room this node does not follow yet is
  // delivered live from the next seq on (the connection's sync covers what came before).
  void finish_attach(UserId user, const std::vector<domain::RoomHead>& rooms);
  void detach(const Subscriber& subscriber);

  // The bus handler. Delivery happens outside the hub's lock: frames are queued, never written here.
  void on_event(const bus::Event& event) override;

  // True when `user` has a connection here whose room list is loaded and holds `room`. A
  // membership change reaches it with the change's event, just after the commit.
  [[nodiscard]] bool knows_member(UserId user, RoomId room) const;

  [[nodiscard]] std::size_t connection_count() const;
  // Every connection, e.g. to close them all at shutdown.
  [[nodiscard]] std::vector<std::shared_ptr<Subscriber>> connections() const;

  // --- repair (server/service/stream_repair.hpp) ----------------------------------------------
  // Each room this node follows and the seq delivered up to (-1 when not known yet).
  [[nodiscard]] std::vector<domain::RoomHead> positions() const override;
  // The rooms whose gap has been held since before `cutoff`, with the seq delivered up to.
  [[nodiscard]] std::vector<domain::RoomHead> gaps_due(Clock::time_point cutoff) const override;
  [[nodiscard]] bool holding() const override;
  // Called, outside every lock, when a room starts holding messages back. Set once at start-up.
  void on_gap(std::function<void()> notify) { on_gap_ = std::move(notify); }
  // The users with a connection here whose room list is loaded.
  [[nodiscard]] std::vector<UserId> users() const override;
  // Makes `user`'s subscriptions match `rooms`, as the store has them now: for a membership
  // change whose event was lost. Returns the changes made.
  std::vector<bus::MembershipChange> reconcile(UserId user, const std::vector<domain::RoomHead>& rooms) override;

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
  // The order a room's messages go out in, and the mutex they go out under.
  struct OrderedStream {
    explicit OrderedStream(std::optional<Seq> delivered) : order(delivered) {}
    std::mutex mutex;
    RoomStream order;
  };
  // A room with at least one user here: who they are, and the order its messages go out in.
  // The stream is made at the room's first message: most rooms are quiet, and a connection
  // should cost little (bench/README.md), so a quiet room keeps only where it would start.
  struct RoomEntry {
    std::unordered_set<UserId> users;
    Seq since = -1;  // the seq its stream starts after; -1: at its first message
    std::shared_ptr<OrderedStream> stream;
  };

  struct StreamRef {
    RoomId room;
    Seq since;
    std::shared_ptr<OrderedStream> stream;  // null until the room's first message
  };
  [[nodiscard]] std::vector<StreamRef> stream_refs() const;
  void apply(UserId user, UserEntry& entry, const bus::MembershipChange& change);
  void apply_membership(const bus::MembershipChange& change);
  void on_message(const bus::Event& event);
  void end_login(UserId user, std::string_view login);
  void deliver_now(const bus::Event& event);
  static void deliver_to(const std::vector<std::shared_ptr<Subscriber>>& targets, const Frame& frame);

  // A room of ten is the common case; this leaves room for larger groups and many devices.
  static constexpr std::size_t kWakeOnceUpTo = 64;

  mutable std::shared_mutex mutex_;
  std::unordered_map<UserId, UserEntry> users_;
  std::unordered_map<RoomId, RoomEntry> rooms_;
  std::size_t connection_count_ = 0;
  std::function<void()> on_gap_;
};

}  // namespace parley::hub
