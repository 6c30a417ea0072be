#pragma once
// Short-lived access tokens: JWT signed with HS256 by the server's secret. Stateless to check,
// so every request and WebSocket can be authenticated without touching the store.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/login_tag.hpp"
#include "server/service/token_expiry.hpp"

namespace parley::service {

// Who a valid access token speaks for, and the login it belongs to: one sign-in and every
// refresh of it share one login id (the refresh token family), which logout ends.
struct Identity {
  UserId user;
  std::string login;
};

class AccessTokens {
 public:
  AccessTokens(std::string secret, std::chrono::seconds ttl);

  [[nodiscard]] std::string issue(UserId user, std::string_view login) const;
  // unauthorized when the token is malformed, not HS256, badly signed, expired, or without a login.
  [[nodiscard]] Result<Identity> verify(std::string_view token, Expiry expiry = Expiry::enforced) const;
  [[nodiscard]] std::chrono::seconds ttl() const { return ttl_; }
  // Whether `token` names this server as its issuer, whatever its signature or expiry.
  [[nodiscard]] static bool issued_here(std::string_view token);

 private:
  std::string secret_;
  std::chrono::seconds ttl_;
};

}  // namespace parley::service
