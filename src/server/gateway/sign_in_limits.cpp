#include "server/gateway/sign_in_limits.hpp"

#include <algorithm>
#include <iterator>

namespace parley::gateway {

SignInLimits::Bucket* SignInLimits::find(Kind& kind, std::string_view key, Clock::time_point now) {
  auto refill = [&](Bucket& b) {
    b.tokens = std::min(kind.burst, b.tokens + std::chrono::duration<double>(now - b.last).count() * kind.per_second);
    b.last = now;
  };
  if (auto it = kind.buckets.find(std::string(key)); it != kind.buckets.end()) {
    refill(it->second);
    return &it->second;
  }
  if (kind.buckets.size() >= settings_.max_tracked) {
    for (auto it = kind.buckets.begin(); it != kind.buckets.end();) {
      refill(it->second);
      it = it->second.tokens >= kind.burst ? kind.buckets.erase(it) : std::next(it);
    }
    if (kind.buckets.size() >= settings_.max_tracked) return nullptr;
  }
  return &kind.buckets.emplace(std::string(key), Bucket{kind.burst, now}).first->second;
}

std::int64_t SignInLimits::wait_of(const Kind& kind, const Bucket* bucket) const {
  if (!bucket) return 1000;  // the table is full: try again in a while
  if (bucket->tokens >= 1.0) return 0;
  return static_cast<std::int64_t>((1.0 - bucket->tokens) / kind.per_second * 1000.0) + 1;
}

std::int64_t SignInLimits::login_wait(std::string_view account, std::string_view address) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  return std::max(wait_of(accounts_, find(accounts_, account, now)),
                  wait_of(failing_addresses_, find(failing_addresses_, address, now)));
}

void SignInLimits::login_failed(std::string_view account, std::string_view address) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  for (auto [kind, key] : {std::pair{&accounts_, account}, std::pair{&failing_addresses_, address}})
    if (Bucket* b = find(*kind, key, now)) b->tokens = std::max(0.0, b->tokens - 1.0);
}

std::int64_t SignInLimits::register_wait(std::string_view address) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  Bucket* bucket = find(registering_addresses_, address, now);
  const std::int64_t wait = wait_of(registering_addresses_, bucket);
  if (wait == 0) bucket->tokens -= 1.0;
  return wait;
}

}  // namespace parley::gateway
