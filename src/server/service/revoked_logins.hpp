#pragma once
// The logins that ended before their access tokens expire: logout, a refresh token presented
// twice, a password change. Access tokens are checked without the store, so each node keeps
// this set in memory and refuses their tokens on every request and at every WebSocket's auth.
//
// It learns of an ending three ways: from its own services at once (through the bus handler,
// on the thread that publishes the ending), from the other nodes through the bus, and from
// the store (revoked_logins) at start and at every check, so that a node that missed an event
// or has just started refuses the same tokens as the others.
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace parley::service {

class RevokedLogins {
 public:
  using Clock = std::chrono::steady_clock;

  // Thread-safe, as are the others.
  void revoke(const std::string& login);
  [[nodiscard]] bool revoked(std::string_view login) const;
  // The store's list: replaces what this node holds, but keeps what it learned in the last
  // minute, which the store may not show yet (its write still on the way).
  void replace(const std::vector<std::string>& stored);
  // replace() with what `session` reads now: at start, and at every check.
  [[nodiscard]] Result<void> reload(store::StoreSession& session);

 private:
  static constexpr std::chrono::seconds kKeepUnstored{60};
  // Looked up by string_view on every request, without making a string of it.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Logins = std::unordered_map<std::string, Clock::time_point, Hash, std::equal_to<>>;

  mutable std::shared_mutex mutex_;
  Logins logins_;  // login -> when learned here
};

}  // namespace parley::service
