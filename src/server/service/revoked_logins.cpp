#include "server/service/revoked_logins.hpp"

namespace parley::service {

void RevokedLogins::revoke(const std::string& login) {
  std::unique_lock lock(mutex_);
  logins_.insert_or_assign(login, Clock::now());
}

bool RevokedLogins::revoked(std::string_view login) const {
  std::shared_lock lock(mutex_);
  return logins_.contains(std::string(login));
}

void RevokedLogins::replace(const std::vector<std::string>& stored) {
  const auto now = Clock::now();
  std::unique_lock lock(mutex_);
  std::unordered_map<std::string, Clock::time_point> next;
  for (const auto& [login, learned] : logins_)
    if (now - learned < kKeepUnstored) next.emplace(login, learned);
  for (const auto& login : stored) next.try_emplace(login, now - kKeepUnstored);
  logins_ = std::move(next);
}

std::size_t RevokedLogins::size() const {
  std::shared_lock lock(mutex_);
  return logins_.size();
}

}  // namespace parley::service
