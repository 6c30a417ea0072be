#pragma once
// Accounts: registration, login, token refresh with rotation, logout, profiles of others.
#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include "domain/user.hpp"
#include "server/service/access_tokens.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/password_hasher.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/revoked_logins.hpp"
#include "server/service/secrets.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct TokenGrant {
  domain::User user;
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in_s = 0;
};

struct AccountsSettings {
  PasswordCost password_cost;
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
  // false: registration, password login and refresh answer own_accounts_disabled; users sign
  // in only with the app's identity provider.
  bool own_accounts = true;
};

class AccountsService {
 public:
  AccountsService(WriteQueue& writes, ReadPool& reads, PasswordHasher& hasher, EventPublisher& events,
                  const AccessTokens& tokens, const RevokedLogins& revoked, AccountsSettings settings);

  void register_user(std::string username, std::string password, std::optional<std::string> display_name,
                     Done<TokenGrant> done);
  void login(std::string username, std::string password, Done<TokenGrant> done);
  // Rotates: the presented token is retired and a new one returned. A retired token presented
  // again revokes the whole login (it was copied), and the answer is invalid_credentials.
  void refresh(std::string refresh_token, Done<TokenGrant> done);
  // Ends the login the refresh token belongs to: its refresh tokens are gone, its access
  // tokens refused from now on, its WebSockets closed with 4003, on every node.
  void logout(std::string refresh_token, Done<std::monostate> done);
  // Checks the current password, stores the new one, and ends every login of the account but
  // the caller's own.
  void change_password(const Caller& caller, std::string current_password, std::string new_password,
                       Done<std::monostate> done);

  // Ends every login of `user` as logout() ends one: Parley's own logins and the login of the
  // user's app tokens, whose connections close too (the app's provider decides whether it signs
  // them in again). not_found when there is no such user. For the server API.
  void end_every_login(UserId user, Done<std::monostate> done);

  // unauthorized when the token is not valid, or its login has ended.
  [[nodiscard]] Result<Identity> authenticate(std::string_view access_token, Expiry expiry = Expiry::enforced) const;
  // Whether `token` claims to be one of Parley's own access tokens (its issuer), valid or not.
  [[nodiscard]] bool is_own_token(std::string_view token) const { return tokens_.issued_here(token); }
  void find_user(const Caller& caller, std::string username, Done<domain::User> done);

 private:
  // Stores a new refresh token of `family` for `user` and returns the grant.
  [[nodiscard]] Result<TokenGrant> grant(store::StoreSession& session, const domain::User& user,
                                         const std::string& family);
  // Inside a write: the login's refresh tokens deleted, the login recorded as ended, and the
  // event that tells every node recorded to follow the commit.
  // After the password was checked: the writer grants a new login.
  void issue_login(Result<UserId> user_id, Done<TokenGrant> done);
  // After the new password was hashed: the writer stores it and ends the other logins.
  void store_password(const Caller& caller, Result<std::string> hash, Done<std::monostate> done);
  [[nodiscard]] Result<void> end_login(store::StoreSession& session, UserId user, const std::string& login,
                                       PendingEvents& events) const;

  WriteQueue& writes_;
  ReadPool& reads_;
  PasswordHasher& hasher_;
  EventPublisher& events_;
  const AccessTokens& tokens_;
  const RevokedLogins& revoked_;
  AccountsSettings settings_;
  // Checked against when the username is unknown, so that a login answers in the same time
  // whether the user exists or not.
  std::string decoy_hash_;
};

}  // namespace parley::service
