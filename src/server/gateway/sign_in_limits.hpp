#pragma once
// Limits on signing in and registering, before any password is hashed: each guess at a
// password costs the server a slow hash, and an attacker would make them as fast as allowed.
//   - failed logins per account: the guesses at one password, from anywhere;
//   - failed logins per source address: one source guessing many accounts;
//   - registrations per source address: each one is a hash too.
// Each is a token bucket per key (`per_minute` refilled, `burst` at most); a failed login takes
// from its account's and its address's buckets, a registration from its address's. An empty
// bucket answers `rate_limited` with the time until the next token, and no hash is made.
//
// The buckets are bounded: at most `max_tracked` keys of each kind. When full, the buckets that
// have refilled completely (they hold nothing worth remembering) are dropped; if none has, a
// new key is refused as limited, so that a flood of addresses cannot buy unlimited guesses
// by pushing the others out.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace parley::gateway {

struct SignInLimitSettings {
  double account_failures_per_minute = 5;
  double account_failure_burst = 10;
  double address_failures_per_minute = 30;
  double address_failure_burst = 60;
  double address_registrations_per_minute = 5;
  double address_registration_burst = 10;
  std::size_t max_tracked = 100'000;
};

class SignInLimits {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SignInLimits(SignInLimitSettings settings) : settings_(settings) {}

  // Before a login is checked: 0 when it may go ahead, otherwise the milliseconds to wait.
  [[nodiscard]] std::int64_t login_wait(std::string_view account, std::string_view address);
  void login_failed(std::string_view account, std::string_view address);
  // Takes one registration for `address`: 0 when it may go ahead, otherwise the wait.
  [[nodiscard]] std::int64_t register_wait(std::string_view address);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };
  struct Kind {
    double per_second;
    double burst;
    std::unordered_map<std::string, Bucket> buckets;
  };

  // The bucket of `key`, refilled to now; nullptr when the table is full of buckets in use.
  Bucket* find(Kind& kind, std::string_view key, Clock::time_point now);
  [[nodiscard]] std::int64_t wait_of(const Kind& kind, const Bucket* bucket) const;

  SignInLimitSettings settings_;
  std::mutex mutex_;
  Kind accounts_{settings_.account_failures_per_minute / 60, settings_.account_failure_burst, {}};
  Kind failing_addresses_{settings_.address_failures_per_minute / 60, settings_.address_failure_burst, {}};
  Kind registering_addresses_{settings_.address_registrations_per_minute / 60, settings_.address_registration_burst, {}};
};

}  // namespace parley::gateway
