#pragma once
// Brings what this node's connections receive up to what the store holds: the store is the
// truth, the bus a hint.
//
// Three things call for it, each handled on this class's own thread with its own store session:
//  - a gap in a room's messages that the bus has not closed within `gap_hold`: the missing
//    messages are read from the store and delivered in their place;
//  - every `check_interval`, on a cluster: each room followed here is compared with the
//    store's last seq, and what the bus never brought (a node that died before publishing, a
//    break in NATS) is delivered, so a room whose last message was lost catches up without
//    waiting for another one;
//  - trouble on the bus (a reconnect, a slow consumer, a node that died): each local user's
//    rooms are read again, subscriptions corrected (a removal whose event was lost ends
//    there), every room caught up, and each connection told `sync.required` so that it
//    fetches the receipts and room changes it may have missed.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/service/live_rooms.hpp"
#include "store/store.hpp"

namespace parley::service {

class StreamRepair {
 public:
  struct Options {
    // How long a gap may wait for the bus to bring what is missing before the store is read.
    std::chrono::milliseconds gap_hold{50};
    // How often rooms are compared with the store (cluster only), and `on_tick` called.
    std::chrono::milliseconds check_interval{1000};
    // Whether events can be lost between nodes, so that rooms are compared with the store.
    bool check_store = false;
    // Called on every check, on this class's thread, with its store session: for other work
    // that brings this node up to the store.
    std::function<void(store::StoreSession&)> on_tick;
  };
  // The most messages read from the store for one room in one step: a room far behind is
  // caught up over several steps, so that no single read holds many megabytes.
  static constexpr int kReadBatch = 500;
  // The most rooms compared with the store in one query.
  static constexpr std::size_t kHeadsBatch = 1000;

  StreamRepair(std::unique_ptr<store::StoreSession> session, LiveRooms& rooms, Options options);
  ~StreamRepair();
  StreamRepair(const StreamRepair&) = delete;
  StreamRepair& operator=(const StreamRepair&) = delete;

  // A room started holding messages back: look at it once gap_hold has passed. Thread-safe.
  void gap_opened();
  // Events may have been lost: repair everything, now. Thread-safe.
  void trouble(std::string_view why);
  // Ends the thread; nothing is called after it returns.
  void stop();

 private:
  void run();
  // Fills the gaps held longer than gap_hold. Returns whether any room still holds one.
  bool fill_due_gaps();
  void catch_up_rooms();
  // Delivers the room's messages after `after` from the store, up to `until` (0: one batch).
  // Returns false when the store could not be read.
  bool deliver_from_store(RoomId room, Seq after, Seq until);
  // Returns false when the store could not be read; the trouble is then kept for the next turn.
  bool reconcile_memberships();

  std::unique_ptr<store::StoreSession> session_;
  LiveRooms& rooms_;
  Options options_;

  std::mutex mutex_;  // guards the four below
  std::condition_variable wake_;
  bool stopping_ = false;
  bool watching_gaps_ = false;
  bool troubled_ = false;
  LiveRooms::Clock::time_point next_gap_check_{};
  std::thread thread_;
};

}  // namespace parley::service
