// Open-loop sending: operation i is due at start + i / rate whatever happened to the ones
// before it, and its latency is measured from that scheduled time. A server that stalls thus
// shows the stall in every operation that was due during it, instead of the generator politely
// waiting and hiding it (coordinated omission).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "loop.hpp"

namespace parley::bench {

class OpenLoop {
 public:
  using Send = std::function<void(std::int64_t index, std::int64_t scheduled_ns)>;

  // Schedules `count` operations at `rate` per second from `start_ns` on the loop; the caller
  // runs the loop. Operations that fall due while the loop was busy go out together, late,
  // each still carrying its own scheduled time.
  OpenLoop(Loop& loop, double rate, std::int64_t count, std::int64_t start_ns, Send send)
      : state_(std::make_shared<State>(State{loop, rate, count, start_ns, std::move(send)})) {
    schedule(state_);
  }
  ~OpenLoop() { state_->stopped = true; }

  [[nodiscard]] bool finished() const { return state_->next >= state_->count; }
  [[nodiscard]] std::int64_t sent() const { return state_->next; }
  void stop() { state_->count = state_->next; }

 private:
  struct State {
    Loop& loop;
    double rate;
    std::int64_t count;
    std::int64_t start_ns;
    Send send;
    std::int64_t next = 0;
    bool stopped = false;
    [[nodiscard]] std::int64_t due(std::int64_t i) const {
      return start_ns + static_cast<std::int64_t>(static_cast<double>(i) * 1e9 / rate);
    }
  };

  static void schedule(const std::shared_ptr<State>& s) {
    if (s->stopped || s->next >= s->count) return;
    s->loop.at(s->due(s->next), [s] {
      if (s->stopped) return;
      const std::int64_t now = now_ns();
      while (s->next < s->count && s->due(s->next) <= now) {
        const std::int64_t i = s->next++;
        s->send(i, s->due(i));
      }
      schedule(s);
    });
  }

  std::shared_ptr<State> state_;
};

}  // namespace parley::bench
