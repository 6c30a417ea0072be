#include "core/usable_cores.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

using parley::core::usable_cores;

TEST(UsableCores, CountsTheCpusTheThreadMayRunOn) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(::sched_getaffinity(0, sizeof allowed, &allowed), 0);
  EXPECT_EQ(usable_cores(), static_cast<unsigned>(CPU_COUNT(&allowed)));
}

TEST(UsableCores, AThreadPinnedToOneCpuHasOne) {
  unsigned seen = 0;
  std::thread pinned([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(static_cast<int>(::sched_getcpu()), &one);
    if (::sched_setaffinity(0, sizeof one, &one) == 0) seen = usable_cores();
  });
  pinned.join();
  EXPECT_EQ(seen, 1u);
}
