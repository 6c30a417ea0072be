#include "server/service/accounts_service.hpp"

#include "server/service/app_login.hpp"
#include "server/service/integration_events.hpp"
#include "server/service/publish_then_reply.hpp"

#include "core/clock.hpp"
#include "domain/validation.hpp"

namespace parley::service {
namespace {

constexpr std::size_t kRefreshTokenBytes = 32;
constexpr std::size_t kFamilyIdBytes = 16;

[[nodiscard]] Error own_accounts_disabled() {
  return Error{ErrorCode::own_accounts_disabled,
               "this server's own accounts are switched off: sign in with the app's identity provider"};
}

}  // namespace

AccountsService::AccountsService(WriteQueue& writes, ReadPool& reads, PasswordHasher& hasher, EventPublisher& events,
                                 const AccessTokens& tokens, const RevokedLogins& revoked, AccountsSettings settings)
    : writes_(writes),
      reads_(reads),
      hasher_(hasher),
      events_(events),
      tokens_(tokens),
      revoked_(revoked),
      settings_(settings) {
  decoy_hash_ = hash_password(random_token(16), settings_.password_cost).value_or("");
}

Result<TokenGrant> AccountsService::grant(store::StoreSession& session, const domain::User& user,
                                          const std::string& family) {
  std::string token = random_token(kRefreshTokenBytes);
  store::RefreshToken record{sha256_hex(token), user.id, family,
                             now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.refresh_ttl).count(),
                             false};
  PARLEY_CHECK(session.insert_refresh_token(record));
  return TokenGrant{user, tokens_.issue(user.id, family), std::move(token), tokens_.ttl().count()};
}

void AccountsService::register_user(std::string username, std::string password,
                                    std::optional<std::string> display_name, Done<TokenGrant> done) {
  if (!settings_.own_accounts) return done(std::unexpected(own_accounts_disabled()));
  auto normalized = domain::normalize_username(username);
  if (!normalized) return done(std::unexpected(normalized.error()));
  if (auto ok = domain::validate_password(password); !ok) return done(std::unexpected(ok.error()));
  std::string name = display_name.value_or(*normalized);
  if (auto ok = domain::validate_display_name(name); !ok) return done(std::unexpected(ok.error()));

  // Hashing is deliberately slow: a hashing thread does it, then the writer stores the user.
  hasher_.submit<std::string>(
      [this, password = std::move(password)] { return hash_password(password, settings_.password_cost); },
      [this, user = *normalized, name = std::move(name), done = std::move(done)](Result<std::string> hash) mutable {
        if (!hash) return done(std::unexpected(hash.error()));
        store::NewUser record{std::move(user), std::move(name), std::move(*hash), now_ms()};
        submit_change<TokenGrant>(
            writes_, events_,
            [this, record = std::move(record)](store::StoreSession& session) -> Result<Committed<TokenGrant>> {
              PARLEY_TRY(created, session.insert_user(record));
              Committed<TokenGrant> out;
              out.events.integration(user_created(created));
              PARLEY_TRY(granted, grant(session, created, random_token(kFamilyIdBytes)));
              out.reply = std::move(granted);
              return out;
            },
            std::move(done));
      });
}

void AccountsService::login(std::string username, std::string password, Done<TokenGrant> done) {
  if (!settings_.own_accounts) return done(std::unexpected(own_accounts_disabled()));
  auto normalized = domain::normalize_username(username);
  if (!normalized) return done(fail(ErrorCode::invalid_credentials, "wrong username or password"));
  // A reader finds the hash, a hashing thread checks it, the writer grants the tokens.
  reads_.submit<std::optional<domain::Credentials>>(
      [user = *normalized](store::StoreSession& session) { return session.find_credentials(user); },
      [this, password = std::move(password), done = std::move(done)](
          Result<std::optional<domain::Credentials>> credentials) mutable {
        if (!credentials) return done(std::unexpected(credentials.error()));
        hasher_.submit<UserId>(
            [this, credentials = std::move(*credentials), password = std::move(password)]() -> Result<UserId> {
              // An unknown user is checked against a decoy hash: the answer takes as long either way.
              const bool matches = verify_password(credentials ? credentials->password_hash : decoy_hash_, password);
              if (!credentials || !matches) return fail(ErrorCode::invalid_credentials, "wrong username or password");
              return credentials->user_id;
            },
            [this, done = std::move(done)](Result<UserId> user_id) mutable { issue_login(std::move(user_id), std::move(done)); });
      });
}

void AccountsService::issue_login(Result<UserId> user_id, Done<TokenGrant> done) {
  if (!user_id) return done(std::unexpected(user_id.error()));
  writes_.submit<TokenGrant>(
      [this, id = *user_id](store::StoreSession& session) -> Result<TokenGrant> {
        PARLEY_TRY(user, session.find_user(id));
        if (!user) return fail(ErrorCode::invalid_credentials, "wrong username or password");
        return grant(session, *user, random_token(kFamilyIdBytes));
      },
      std::move(done));
}

Result<void> AccountsService::end_login(store::StoreSession& session, UserId user, const std::string& login,
                                        PendingEvents& events) const {
  PARLEY_CHECK(session.delete_refresh_family(login));
  // Its access tokens are refused until the last of them would have expired anyway.
  const TimestampMs now = now_ms();
  PARLEY_CHECK(session.insert_revoked_login(
      login, user, now + std::chrono::duration_cast<std::chrono::milliseconds>(tokens_.ttl()).count(), now));
  events.login_ended(user, login);
  return {};
}

void AccountsService::refresh(std::string refresh_token, Done<TokenGrant> done) {
  if (!settings_.own_accounts) return done(std::unexpected(own_accounts_disabled()));
  // The outcome is not an error inside the transaction: revoking a reused token's family must
  // commit even though the caller is refused.
  struct Outcome {
    std::optional<TokenGrant> grant;
    std::string refusal;
  };
  submit_change<Outcome>(
      writes_, events_,
      [this, token = std::move(refresh_token)](store::StoreSession& session) -> Result<Committed<Outcome>> {
        Committed<Outcome> out;
        PARLEY_TRY(record, session.find_refresh_token(sha256_hex(token)));
        if (!record) {
          out.reply.refusal = "the refresh token is not valid";
          return out;
        }
        if (record->used) {
          // Presented twice: it was copied. The whole login ends, on every device and node.
          PARLEY_CHECK(end_login(session, record->user_id, record->family_id, out.events));
          out.reply.refusal = "the refresh token was already used; sign in again";
          return out;
        }
        if (record->expires_at_ms <= now_ms()) {
          out.reply.refusal = "the refresh token has expired";
          return out;
        }
        PARLEY_TRY(user, session.find_user(record->user_id));
        if (!user) {
          out.reply.refusal = "the refresh token is not valid";
          return out;
        }
        PARLEY_CHECK(session.mark_refresh_token_used(record->token_hash));
        PARLEY_TRY(granted, grant(session, *user, record->family_id));
        out.reply.grant = std::move(granted);
        return out;
      },
      [done = std::move(done)](Result<Outcome> outcome) {
        if (!outcome) return done(std::unexpected(outcome.error()));
        if (!outcome->grant) return done(fail(ErrorCode::invalid_credentials, outcome->refusal));
        done(std::move(*outcome->grant));
      });
}

void AccountsService::logout(std::string refresh_token, Done<std::monostate> done) {
  submit_change<std::monostate>(
      writes_, events_,
      [this, token = std::move(refresh_token)](store::StoreSession& session) -> Result<Committed<std::monostate>> {
        Committed<std::monostate> out;
        PARLEY_TRY(record, session.find_refresh_token(sha256_hex(token)));
        if (record) PARLEY_CHECK(end_login(session, record->user_id, record->family_id, out.events));
        return out;
      },
      std::move(done));
}

void AccountsService::change_password(const Caller& caller, std::string current_password, std::string new_password,
                                      Done<std::monostate> done) {
  if (auto ok = domain::validate_password(new_password); !ok) return done(std::unexpected(ok.error()));
  // A reader finds the stored hash; a hashing thread checks the current password and hashes the
  // new one (both slow on purpose); the writer stores it and ends every other login.
  reads_.submit<domain::Credentials>(
      [user = caller.user](store::StoreSession& session) -> Result<domain::Credentials> {
        PARLEY_TRY(found, session.find_user(user));
        if (!found) return fail(ErrorCode::unauthorized, "the account no longer exists");
        PARLEY_TRY(credentials, session.find_credentials(found->username));
        if (!credentials) return fail(ErrorCode::unauthorized, "the account no longer exists");
        return std::move(*credentials);
      },
      [this, caller, current = std::move(current_password), next = std::move(new_password),
       done = std::move(done)](Result<domain::Credentials> credentials) mutable {
        if (!credentials) return done(std::unexpected(credentials.error()));
        hasher_.submit<std::string>(
            [this, stored = credentials->password_hash, current = std::move(current),
             next = std::move(next)]() -> Result<std::string> {
              if (!verify_password(stored, current))
                return fail(ErrorCode::invalid_credentials, "the current password is wrong");
              return hash_password(next, settings_.password_cost);
            },
            [this, caller, done = std::move(done)](Result<std::string> hash) mutable {
              store_password(caller, std::move(hash), std::move(done));
            });
      });
}

void AccountsService::store_password(const Caller& caller, Result<std::string> hash, Done<std::monostate> done) {
  if (!hash) return done(std::unexpected(hash.error()));
  submit_change<std::monostate>(
      writes_, events_,
      [this, caller, hash = std::move(*hash)](store::StoreSession& session) -> Result<Committed<std::monostate>> {
        Committed<std::monostate> out;
        PARLEY_CHECK(session.update_password_hash(caller.user, hash));
        PARLEY_TRY(logins, session.list_login_families(caller.user));
        for (const auto& login : logins)
          if (login_tag(login) != caller.login) PARLEY_CHECK(end_login(session, caller.user, login, out.events));
        return out;
      },
      std::move(done));
}

void AccountsService::end_every_login(UserId user, Done<std::monostate> done) {
  submit_change<std::monostate>(
      writes_, events_,
      [this, user](store::StoreSession& session) -> Result<Committed<std::monostate>> {
        Committed<std::monostate> out;
        PARLEY_TRY(found, session.find_user(user));
        if (!found) return fail(ErrorCode::not_found, "no such user");
        PARLEY_TRY(logins, session.list_login_families(user));
        if (!found->external_id.empty()) logins.push_back(app_login(found->external_id));
        for (const auto& login : logins) PARLEY_CHECK(end_login(session, user, login, out.events));
        return out;
      },
      std::move(done));
}

Result<Identity> AccountsService::authenticate(std::string_view access_token, Expiry expiry) const {
  PARLEY_TRY(identity, tokens_.verify(access_token, expiry));
  if (revoked_.revoked(identity.login)) return fail(ErrorCode::unauthorized, "this login has ended; sign in again");
  return identity;
}

void AccountsService::find_user(const Caller&, std::string username, Done<domain::User> done) {
  auto normalized = domain::normalize_username(username);
  if (!normalized) return done(fail(ErrorCode::not_found, "no such user"));
  reads_.submit<domain::User>(
      [name = *normalized](store::StoreSession& session) -> Result<domain::User> {
        PARLEY_TRY(user, session.find_user_by_username(name));
        if (!user) return fail(ErrorCode::not_found, "no such user");
        return std::move(*user);
      },
      std::move(done));
}

}  // namespace parley::service
