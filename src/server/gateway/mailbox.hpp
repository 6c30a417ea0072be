#pragma once
// Frames handed to a connection from any thread, waiting for its strand to take them.
//
// Posting each frame to the strand would cost, per frame, an operation allocated, the strand's
// lock and a scheduler wake-up, and a write of its own when the connection was idle. The mailbox
// batches instead, as uWebSockets batches publishes per subscriber: only the frame that finds it
// empty asks the strand to come, and the strand takes everything that arrived until it came, in
// the order it arrived, and writes it in one system call. Under load more frames wait per visit
// and the cost per frame falls; an idle moment still sends the first frame at once.
//
// Lock-free (a push-only stack, reversed when taken) and one pointer in size: there is one per
// connection, and most connections are idle.
#include <atomic>
#include <utility>

#include "server/hub/subscriber.hpp"

namespace parley::gateway {

class Mailbox {
 public:
  Mailbox() = default;
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;
  ~Mailbox() { release(top_.exchange(nullptr, std::memory_order_acquire)); }

  // Thread-safe. Returns true when the mailbox was empty: the caller must then make sure that
  // take() runs; otherwise a take is already due and will find this frame too.
  [[nodiscard]] bool put(hub::Frame frame) {
    auto* letter = new Letter{std::move(frame), nullptr};
    Letter* below = top_.load(std::memory_order_relaxed);
    do {
      letter->next = below;
    } while (!top_.compare_exchange_weak(below, letter, std::memory_order_release, std::memory_order_relaxed));
    // From the exchange's own copy, not from the letter: once it is in, the taker may be
    // relinking or freeing it.
    return below == nullptr;
  }

  // Hands every frame put so far to `each`, oldest first. Only one thread may take at a time.
  template <class Each>
  void take(Each&& each) {
    Letter* newest_first = top_.exchange(nullptr, std::memory_order_acquire);
    Letter* oldest_first = nullptr;
    while (newest_first != nullptr) {
      Letter* next = newest_first->next;
      newest_first->next = oldest_first;
      oldest_first = newest_first;
      newest_first = next;
    }
    while (oldest_first != nullptr) {
      Letter* next = oldest_first->next;
      hub::Frame frame = std::move(oldest_first->frame);
      delete oldest_first;
      oldest_first = next;
      each(std::move(frame));
    }
  }

 private:
  struct Letter {
    hub::Frame frame;
    Letter* next;
  };

  static void release(Letter* letter) {
    while (letter != nullptr) delete std::exchange(letter, letter->next);
  }

  std::atomic<Letter*> top_{nullptr};
};

}  // namespace parley::gateway
