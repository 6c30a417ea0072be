#pragma once
// Access tokens signed by the app's own identity provider: HS256/384/512 with a shared secret,
// RS256/384/512 and ES256/384 with the provider's public keys (AppKeySet). The algorithm is
// pinned by what is configured: an HS token is checked only with the secret, an RS or ES token
// only with a key of its kind from the key set, "none" never.
#include <string>
#include <string_view>

#include "server/service/app_key_set.hpp"
#include "server/service/app_token_claims.hpp"

namespace parley::service {

class AppTokens {
 public:
  // `secret` empty: no HS tokens; `keys` null: no RS or ES tokens.
  AppTokens(std::string secret, AppKeySet* keys, AppClaimRules rules);

  struct Check {
    Result<AppUser> user;
    // The token names a key id the key set does not hold: worth fetching the set again.
    bool key_unknown = false;
  };
  // unauthorized, saying which check failed.
  [[nodiscard]] Check check(std::string_view token, Expiry expiry = Expiry::enforced) const;

  [[nodiscard]] AppKeySet* keys() const { return keys_; }

 private:
  std::string secret_;
  AppKeySet* keys_;
  AppClaimRules rules_;
};

}  // namespace parley::service
