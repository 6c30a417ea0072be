// The bench's event loop: one Asio io_context run on the calling thread. Every connection and
// timer of a scenario lives on it, so scenario code needs no locks. The header stays free of
// Asio so that scenario files compile quickly.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace parley::bench {

using Clock = std::chrono::steady_clock;

// Nanoseconds on the steady clock: the unit of every timestamp the bench takes.
[[nodiscard]] inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

class Loop {
 public:
  Loop();
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void post(std::function<void()> fn);
  // Runs fn when the steady clock reaches `when_ns` (or at once if it has passed).
  void at(std::int64_t when_ns, std::function<void()> fn);
  // Runs the loop until done() holds or `timeout` passes; done() is checked every few
  // milliseconds and after the loop runs dry. Returns done().
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // Runs the loop for a fixed time, whatever happens.
  void run_for(std::chrono::milliseconds duration);

  struct Impl;
  [[nodiscard]] Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::bench
