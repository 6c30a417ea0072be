#include "client/log.hpp"

#include <atomic>
#include <mutex>
#include <shared_mutex>

namespace parley::client {

namespace {

constexpr int kOff = -1;

// Readers (log lines, from any SDK thread) share the lock, so lines from several threads reach
// the sink at once; set_log_sink takes it alone, so that after it returns the old sink, and the
// app data it points to, are no longer in use.
struct Sink {
  std::shared_mutex mutex;
  LogSink sink;
  std::atomic<int> max_level{kOff};
};

Sink& sink() {
  static Sink instance;
  return instance;
}

}  // namespace

void set_log_sink(LogSink next, LogLevel max_level) {
  auto& s = sink();
  std::unique_lock lock(s.mutex);
  s.max_level = next ? static_cast<int>(max_level) : kOff;
  s.sink = std::move(next);
}

bool log_enabled(LogLevel level) { return static_cast<int>(level) <= sink().max_level.load(std::memory_order_relaxed); }

void log(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  auto& s = sink();
  std::shared_lock lock(s.mutex);
  if (!s.sink || static_cast<int>(level) > s.max_level) return;
  try {
    s.sink(level, message);
  } catch (...) {
  }
}

}  // namespace parley::client
