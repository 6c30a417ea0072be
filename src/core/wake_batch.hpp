#pragma once
// A scope in which the calling thread's wake-ups of other threads wait until the scope ends.
//
// A thread that hands several pieces of work to another in a row (the hub putting one event in
// the mailboxes of a room's members) would otherwise wake the other for the first piece, and
// on a shared core lose the core to it for that one piece, then wake it again for the next.
// Inside a WakeBatch, whoever would wake a thread (gateway/handoff.hpp) leaves a flush instead,
// and the flushes run once, when the outermost scope ends: the woken thread then finds every
// piece waiting.
#include <functional>
#include <vector>

namespace parley::core {

class WakeBatch {
 public:
  WakeBatch() noexcept;
  ~WakeBatch();
  WakeBatch(const WakeBatch&) = delete;
  WakeBatch& operator=(const WakeBatch&) = delete;

  // Inside a scope on this thread: runs `flush` when the outermost scope ends. Outside: now.
  static void defer(std::function<void()> flush);
};

}  // namespace parley::core
