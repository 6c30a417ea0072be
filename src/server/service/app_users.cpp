#include "server/service/app_users.hpp"

#include "core/clock.hpp"
#include "domain/validation.hpp"
#include "server/service/integration_events.hpp"
#include "server/service/publish_then_reply.hpp"
#include "server/service/secrets.hpp"

namespace parley::service {

AppUsers::AppUsers(WriteQueue& writes, EventPublisher& events) : writes_(writes), events_(events) {}

std::optional<UserId> AppUsers::known(const std::string& external_id) const {
  std::lock_guard lock(mutex_);
  auto it = known_.find(external_id);
  if (it == known_.end()) return std::nullopt;
  return it->second;
}

void AppUsers::remember(const std::string& external_id, UserId id) {
  std::lock_guard lock(mutex_);
  if (known_.size() >= kMaxKnown) known_.clear();
  known_.emplace(external_id, id);
}

Result<Committed<UpsertedUser>> AppUsers::find_or_insert(store::StoreSession& session, const AppUser& user,
                                                         bool update_profile) {
  Committed<UpsertedUser> out;
  PARLEY_TRY(found, session.find_user_by_external_id(user.external_id));
  if (found) {
    if (update_profile) {
      if (!user.display_name.empty()) found->display_name = user.display_name;
      found->bot = user.bot;
      PARLEY_CHECK(session.update_user_profile(found->id, found->display_name, found->bot));
    }
    out.reply = UpsertedUser{std::move(*found), false};
    return out;
  }
  // A username nobody has: the wish, then the wish numbered, then with a random suffix.
  std::string username;
  for (int n = 1; n <= kNumberedTries + 1 && username.empty(); ++n) {
    std::string candidate = n == 1                ? domain::username_from(user.username)
                            : n <= kNumberedTries ? domain::username_from(user.username, "-" + std::to_string(n))
                                                  : domain::username_from(user.username, "-" + random_token(6));
    PARLEY_TRY(taken, session.find_user_by_username(candidate));
    if (!taken) username = std::move(candidate);
  }
  if (username.empty()) return fail(ErrorCode::conflict, "no free username for " + user.username);
  // No password hash: no password signs this user in; their provider does.
  store::NewUser record{.username = username,
                        .display_name = user.display_name.empty() ? username : user.display_name,
                        .password_hash = "",
                        .created_at_ms = now_ms(),
                        .external_id = user.external_id,
                        .bot = user.bot};
  PARLEY_TRY(created, session.insert_user(record));
  out.events.integration(user_created(created, user.external_id));
  out.reply = UpsertedUser{std::move(created), true};
  return out;
}

void AppUsers::find_or_create(AppUser user, Done<UserId> done) {
  submit(std::move(user), false, [done = std::move(done)](Result<UpsertedUser> found) {
    if (!found) return done(std::unexpected(found.error()));
    done(found->user.id);
  }, true);
}

void AppUsers::upsert(AppUser user, Done<UpsertedUser> done) {
  if (user.external_id.empty()) return done(fail(ErrorCode::invalid_payload, "external_id must not be empty"));
  if (!user.display_name.empty()) {
    if (auto ok = domain::validate_display_name(user.display_name); !ok) return done(std::unexpected(ok.error()));
  }
  submit(std::move(user), true, std::move(done), true);
}

void AppUsers::submit(AppUser user, bool update_profile, Done<UpsertedUser> done, bool may_retry) {
  submit_change<UpsertedUser>(
      writes_, events_,
      [user, update_profile](store::StoreSession& session) { return find_or_insert(session, user, update_profile); },
      [this, user, update_profile, may_retry, done = std::move(done)](Result<UpsertedUser> id) mutable {
        // Another node created the same person's user between the look-up and the insert (a
        // conflict on the external id, or on the username it picked): once more finds theirs,
        // or picks another name.
        const bool clash = !id && (id.error().code == ErrorCode::conflict || id.error().code == ErrorCode::username_taken);
        if (clash && may_retry) return submit(std::move(user), update_profile, std::move(done), false);
        if (id) remember(user.external_id, id->user.id);
        done(std::move(id));
      });
}

}  // namespace parley::service
