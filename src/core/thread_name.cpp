#include "core/thread_name.hpp"

#include <pthread.h>

namespace parley::core {

void name_this_thread(const char* name) noexcept {
  // A name too long is refused, not cut: a wrong name only makes a profile harder to read.
  pthread_setname_np(pthread_self(), name);
}

}  // namespace parley::core
