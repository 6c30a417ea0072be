#include "core/thread_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace parley::core {

void lower_this_thread_priority(int niceness) noexcept {
  // On Linux a nice value belongs to the thread (the task id), not to the whole process.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), niceness);
}

}  // namespace parley::core
