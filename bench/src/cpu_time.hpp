// CPU time as the kernel counts it, for scenarios that run their own work (no server) and set
// its cost beside the server's: the calling thread's, or the whole process's.
#pragma once

#include <ctime>

namespace parley::bench {

[[nodiscard]] inline double cpu_seconds(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}
[[nodiscard]] inline double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }
[[nodiscard]] inline double process_cpu_seconds() { return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID); }

}  // namespace parley::bench
