#include "server/service/authenticator.hpp"

#include "server/service/api_keys.hpp"
#include "server/service/app_login.hpp"

namespace parley::service {

Authenticator::Authenticator(const AccountsService& accounts, const AppTokens* app_tokens, AppUsers* app_users)
    : accounts_(accounts), app_tokens_(app_tokens), app_users_(app_users) {}

void Authenticator::authenticate(std::string_view token, Done<Identity> done, Expiry expiry) const {
  // An API key speaks for the app's backend, never for a user: refused here by its shape,
  // before any check could take it for something else.
  if (looks_like_api_key(token))
    return done(fail(ErrorCode::unauthorized, "an API key works on the server API (/v1/server/...) only"));
  auto own = accounts_.authenticate(token, expiry);
  // A token of Parley's own that has ended or expired gets its own answer, not the app's.
  if (own || !app_tokens_ || accounts_.is_own_token(token)) return done(std::move(own));
  auto check = app_tokens_->check(token, expiry);
  if (check.key_unknown && app_tokens_->keys()) {
    // The provider may have rotated its keys: read them again, then look once more.
    return app_tokens_->keys()->refetch([this, token = std::string(token), done = std::move(done), expiry]() mutable {
      finish_app(app_tokens_->check(token, expiry), std::move(done));
    });
  }
  finish_app(std::move(check), std::move(done));
}

void Authenticator::finish_app(AppTokens::Check check, Done<Identity> done) const {
  if (!check.user) return done(std::unexpected(check.user.error()));
  if (auto id = app_users_->known(check.user->external_id))
    return done(Identity{*id, app_login(check.user->external_id)});
  auto login = app_login(check.user->external_id);
  app_users_->find_or_create(std::move(*check.user), [login = std::move(login), done = std::move(done)](Result<UserId> id) {
    if (!id) {
      if (id.error().code == ErrorCode::unauthorized) return done(std::unexpected(id.error()));
      return done(fail(ErrorCode::unavailable, "the account could not be found or made: " + id.error().message));
    }
    done(Identity{*id, login});
  });
}

}  // namespace parley::service
