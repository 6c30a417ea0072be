#include "server/service/app_key_set.hpp"

#include <spdlog/spdlog.h>

#include <future>

namespace parley::service {

AppKeySet::AppKeySet(Fetch fetch, Timing timing, std::string source)
    : fetch_(std::move(fetch)), timing_(timing), source_(std::move(source)) {}

std::optional<PublicKey> AppKeySet::find(std::string_view kid, KeyKind kind) {
  std::shared_ptr<const std::vector<PublicKey>> keys;
  bool refresh = false;
  {
    std::lock_guard lock(mutex_);
    keys = keys_;
    refresh = !fetching_ && fetched_at_ && Clock::now() - *fetched_at_ >= timing_.refresh_interval;
    if (refresh) begin_fetch_locked([] {});
  }
  if (refresh) start_fetch();
  std::optional<PublicKey> found;
  for (const auto& key : *keys) {
    if (key.kind != kind) continue;
    if (!kid.empty() && key.kid == kid) return key;
    if (kid.empty()) {
      if (found) return std::nullopt;  // more than one could be meant: the token must name its key
      found = key;
    }
  }
  return found;
}

void AppKeySet::refetch(std::function<void()> done) {
  std::unique_lock lock(mutex_);
  if (fetching_) {
    waiting_.push_back(std::move(done));
    return;
  }
  if (fetched_at_ && Clock::now() - *fetched_at_ < timing_.min_refetch) {
    lock.unlock();
    return done();
  }
  begin_fetch_locked(std::move(done));
  lock.unlock();
  start_fetch();
}

void AppKeySet::begin_fetch_locked(std::function<void()> done) {
  fetching_ = true;
  fetched_at_ = Clock::now();
  waiting_.push_back(std::move(done));
}

// Outside the lock: a fetch may call back before it returns.
void AppKeySet::start_fetch() {
  fetch_([this](Result<std::string> document) { fetched(std::move(document)); });
}

void AppKeySet::fetched(Result<std::string> document) {
  Result<void> outcome;
  std::shared_ptr<const std::vector<PublicKey>> keys;
  if (!document) {
    outcome = std::unexpected(document.error());
  } else if (auto set = parse_jwk_set(*document); !set) {
    outcome = std::unexpected(set.error());
  } else {
    for (const auto& why : set->skipped) spdlog::warn("app identity keys from {}: {} (left out)", source_, why);
    keys = std::make_shared<const std::vector<PublicKey>>(std::move(set->keys));
  }
  if (!outcome) spdlog::warn("app identity keys from {}: {}; the keys held stay", source_, outcome.error().message);
  std::vector<std::function<void()>> waiting;
  {
    std::lock_guard lock(mutex_);
    if (keys) keys_ = std::move(keys);
    fetching_ = false;
    last_outcome_ = outcome;
    waiting.swap(waiting_);
  }
  for (auto& done : waiting) done();
}

Result<void> AppKeySet::load() {
  std::promise<void> ended;
  refetch([&ended] { ended.set_value(); });
  ended.get_future().wait();
  std::lock_guard lock(mutex_);
  if (!last_outcome_) return last_outcome_;
  if (keys_->empty()) return fail(ErrorCode::invalid_payload, "the JWK Set at " + source_ + " holds no signing key this server can use");
  return {};
}

}  // namespace parley::service
