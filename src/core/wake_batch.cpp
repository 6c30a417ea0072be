#include "core/wake_batch.hpp"

#include <utility>

namespace parley::core {
namespace {

struct ThreadState {
  int depth = 0;
  std::vector<std::function<void()>> flushes;
};

ThreadState& state() noexcept {
  thread_local ThreadState s;
  return s;
}

}  // namespace

WakeBatch::WakeBatch() noexcept { ++state().depth; }

WakeBatch::~WakeBatch() {
  ThreadState& s = state();
  if (--s.depth > 0) return;
  // Taken out first: a flush that defers again runs outside any scope, so at once.
  auto flushes = std::move(s.flushes);
  s.flushes.clear();
  for (auto& flush : flushes) flush();
}

void WakeBatch::defer(std::function<void()> flush) {
  ThreadState& s = state();
  if (s.depth == 0) return flush();
  s.flushes.push_back(std::move(flush));
}

}  // namespace parley::core
