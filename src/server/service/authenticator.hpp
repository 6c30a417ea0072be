#pragma once
// The one place the gateway asks who a token speaks for, over HTTP and on WebSockets alike:
// Parley's own access token first, then, when the server is set up for it, a token of the
// app's identity provider.
#include <string>
#include <string_view>

#include "server/service/accounts_service.hpp"
#include "server/service/app_tokens.hpp"
#include "server/service/app_users.hpp"

namespace parley::service {

class Authenticator {
 public:
  // `app_tokens` and `app_users` null: Parley's own tokens only.
  Authenticator(const AccountsService& accounts, const AppTokens* app_tokens, AppUsers* app_users);

  // unauthorized, saying why, when no accepted token is given. `done` runs at once for Parley's
  // own tokens and for app users already known; otherwise, once the store (a user seen for the
  // first time) or the provider's key set (a key id not yet held) has answered, on that thread.
  void authenticate(std::string_view token, Done<Identity> done, Expiry expiry = Expiry::enforced) const;

 private:
  void finish_app(AppTokens::Check check, Done<Identity> done) const;

  const AccountsService& accounts_;
  const AppTokens* app_tokens_;
  AppUsers* app_users_;
};

}  // namespace parley::service
