#include "server/service/revoked_logins.hpp"

#include "core/clock.hpp"

namespace parley::service {

void RevokedLogins::revoke(const std::string& login) {
  std::unique_lock lock(mutex_);
  logins_.insert_or_assign(login, Clock::now());
}

bool RevokedLogins::revoked(std::string_view login) const {
  std::shared_lock lock(mutex_);
  return logins_.contains(login);
}

void RevokedLogins::replace(const std::vector<std::string>& stored) {
  const auto now = Clock::now();
  std::unique_lock lock(mutex_);
  Logins next;
  for (const auto& [login, learned] : logins_)
    if (now - learned < kKeepUnstored) next.emplace(login, learned);
  for (const auto& login : stored) next.try_emplace(login, now - kKeepUnstored);
  logins_ = std::move(next);
}

Result<void> RevokedLogins::reload(store::StoreSession& session) {
  PARLEY_TRY(stored, session.list_revoked_logins(now_ms()));
  replace(stored);
  return {};
}

}  // namespace parley::service
