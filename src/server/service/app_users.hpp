#pragma once
// The users of the app's identity provider: the first token of a person creates their Parley
// user, bound to the provider's id for them (users.external_id); every later token finds that
// user. The server API's upsert (docs/server-api.md) binds to the same id, so a user the app's
// backend made and the same person signing in with a token are one user. Found users are remembered here, so that a token of a known user is answered without
// the store.
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/ids.hpp"
#include "domain/user.hpp"
#include "server/service/app_token_claims.hpp"
#include "server/service/committed.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct UpsertedUser {
  domain::User user;
  bool created = false;
};

class AppUsers {
 public:
  // `events`: a created user is announced to the app's backend (user.created).
  AppUsers(WriteQueue& writes, EventPublisher& events);

  // The user bound to `user.external_id`, when already known here.
  [[nodiscard]] std::optional<UserId> known(const std::string& external_id) const;
  // Finds or creates the user, on the writer thread; `done` runs there.
  void find_or_create(AppUser user, Done<UserId> done);
  // The server API's upsert: finds or creates the user as find_or_create does; a user found
  // takes the given display name (when not empty) and bot flag. The username is only a wish
  // for a new user: an existing one keeps theirs, as others may know them by it.
  void upsert(AppUser user, Done<UpsertedUser> done);

 private:
  // Ids remembered at most; when full, the memory starts again empty (the store answers the
  // misses): bounded, and cheap to keep right, as a binding never changes.
  static constexpr std::size_t kMaxKnown = 100'000;
  // How many usernames are tried (name, name-2, name-3, ...) before a random suffix is taken.
  static constexpr int kNumberedTries = 20;

  void submit(AppUser user, bool update_profile, Done<UpsertedUser> done, bool may_retry);
  [[nodiscard]] static Result<Committed<UpsertedUser>> find_or_insert(store::StoreSession& session,
                                                                      const AppUser& user, bool update_profile);
  void remember(const std::string& external_id, UserId id);

  WriteQueue& writes_;
  EventPublisher& events_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, UserId> known_;
};

}  // namespace parley::service
