// For scenarios that run their own work (no server) and set its cost beside the server's: CPU
// time as the kernel counts it, the calling thread's or the whole process's, and a thread
// pinned to the server's CPU to do the work on.
#pragma once

#include <sched.h>

#include <ctime>
#include <functional>
#include <thread>

namespace parley::bench {

[[nodiscard]] inline double cpu_seconds(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}
[[nodiscard]] inline double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }
[[nodiscard]] inline double process_cpu_seconds() { return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID); }

// Runs `work` on a thread of its own, pinned to `cpu` (unless it is negative), as the server
// would run, and returns when it has.
inline void on_cpu(int cpu, const std::function<void()>& work) {
  std::thread worker([&] {
    if (cpu >= 0) {
      cpu_set_t cpus;
      CPU_ZERO(&cpus);
      CPU_SET(cpu, &cpus);
      ::sched_setaffinity(0, sizeof cpus, &cpus);
    }
    work();
  });
  worker.join();
}

}  // namespace parley::bench
