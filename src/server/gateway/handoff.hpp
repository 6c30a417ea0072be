#pragma once
// Work handed to the I/O threads from other threads (the store's writer, the bus, timers), many
// pieces per wake-up.
//
// A connection that gets a frame from another thread needs its strand to come and send it.
// Posting each of those visits to its strand wakes an I/O thread once per connection: a
// presence change for a user in rooms of ten woke one nine times, and on a busy core each wake-up
// let the I/O thread take the core for a single frame. The handoff collects the visits instead;
// only the first one of a batch posts, and the I/O thread that runs the batch makes every visit
// in a row (a visit to an idle strand then runs at once, on that thread).
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/wake_batch.hpp"

namespace parley::gateway {

class Handoff {
 public:
  explicit Handoff(boost::asio::io_context& io) : io_(io), state_(std::make_shared<State>()) {}
  Handoff(const Handoff&) = delete;
  Handoff& operator=(const Handoff&) = delete;

  // Thread-safe. Runs `work` on an I/O thread soon, in the order handed over. Inside a
  // core::WakeBatch the I/O threads are woken when the batch's scope ends.
  void post(std::function<void()> work) {
    {
      std::lock_guard lock(state_->mutex);
      state_->pending.push_back(std::move(work));
      if (state_->pending.size() > 1) return;  // the batch's run is posted, or will be
    }
    core::WakeBatch::defer([&io = io_, state = state_] { boost::asio::post(io, [state] { state->run(); }); });
  }

  // Drops work that will never run (the I/O threads have stopped): what it holds may hold this
  // handoff in turn, and would otherwise never be freed.
  void discard() {
    std::vector<std::function<void()>> dropped;
    std::lock_guard lock(state_->mutex);
    dropped.swap(state_->pending);
  }

 private:
  struct State {
    std::mutex mutex;
    std::vector<std::function<void()>> pending;

    void run() {
      std::vector<std::function<void()>> batch;
      {
        std::lock_guard lock(mutex);
        batch.swap(pending);
      }
      for (auto& work : batch) work();
    }
  };

  boost::asio::io_context& io_;
  // Shared with the posted run, which may outlive a handoff whose I/O threads never ran it.
  std::shared_ptr<State> state_;
};

}  // namespace parley::gateway
