#pragma once
// Short-lived access tokens: JWT signed with HS256 by the server's secret. Stateless to check,
// so every request and WebSocket can be authenticated without touching the store.
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace parley::service {

class AccessTokens {
 public:
  AccessTokens(std::string secret, std::chrono::seconds ttl);

  [[nodiscard]] std::string issue(UserId user) const;
  // unauthorized when the token is malformed, not HS256, badly signed or expired.
  [[nodiscard]] Result<UserId> verify(std::string_view token) const;
  [[nodiscard]] std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::string secret_;
  std::chrono::seconds ttl_;
};

}  // namespace parley::service
