#pragma once
#include <chrono>

#include "core/ids.hpp"

namespace parley {

[[nodiscard]] inline TimestampMs now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace parley
