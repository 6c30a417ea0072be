#pragma once
// The claims of a token from the app's identity provider, checked once its signature is: when
// it is valid (exp required; nbf and iat honoured), whom it is for (iss, aud), and who it
// speaks for (the user id claim, and what to call a user seen for the first time).
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "server/service/token_expiry.hpp"

namespace parley::service {

struct AppClaimRules {
  std::string issuer;    // empty: any
  std::string audience;  // empty: any; otherwise "aud" must be it, or an array holding it
  // Claim names; a dotted name ("user_metadata.full_name") reaches into objects.
  std::string user_id_claim = "sub";
  std::string username_claim;      // empty: preferred_username, then the email's local part, then the user id
  std::string display_name_claim;  // empty: name, then the username
  // Clocks of two machines differ: exp, nbf and iat are allowed this much either way.
  std::chrono::seconds leeway{60};
};

// Who an app token speaks for. The username and display name are wishes, used only for a user
// seen for the first time; the store makes the username unique.
struct AppUser {
  std::string external_id;
  std::string username;
  std::string display_name;
  bool bot = false;  // only the server API makes bots; a token's user never is one
};

// unauthorized, saying which check failed.
// With Expiry::ignored, a past `exp` is no reason to refuse (it must still be there).
[[nodiscard]] Result<AppUser> check_app_claims(const boost::json::object& claims, const AppClaimRules& rules,
                                               std::int64_t now_s, Expiry expiry = Expiry::enforced);

}  // namespace parley::service
