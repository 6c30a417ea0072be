#include "core/usable_cores.hpp"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace parley::core {

unsigned usable_cores() noexcept {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
    const int count = CPU_COUNT(&allowed);
    if (count > 0) return static_cast<unsigned>(count);
  }
  // A machine with more CPUs than the mask holds: the machine's count is the best left.
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace parley::core
