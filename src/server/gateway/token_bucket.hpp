#pragma once
// A per-connection request budget: `rate` tokens a second, holding at most `burst`. A request
// takes one; with none left it is refused with how long until the next one.
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace parley::gateway {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst), last_(Clock::now()) {}

  // True when a token was taken; otherwise `retry_after_ms` says when one will be there.
  bool try_take(std::int64_t& retry_after_ms) {
    auto now = Clock::now();
    double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    if (tokens_ >= 1.0) {
      tokens_ -= 1.0;
      return true;
    }
    retry_after_ms = static_cast<std::int64_t>((1.0 - tokens_) / rate_ * 1000.0) + 1;
    return false;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace parley::gateway
