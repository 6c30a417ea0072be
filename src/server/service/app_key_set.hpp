#pragma once
// The app identity provider's public keys (its JWK Set, from a file or a URL), held in memory
// so that a token is checked without waiting. Fetched at start; fetched again in the background
// once older than the refresh interval; and fetched again when a token names a key id the set
// does not hold (the provider has rotated its keys), at most once per `min_refetch`, so that a
// stream of tokens with made-up key ids cannot make this server hammer the provider.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "server/service/jwk_key.hpp"

namespace parley::service {

class AppKeySet {
 public:
  using Clock = std::chrono::steady_clock;
  // Reads the JWK Set document and calls back with it, on a thread of its own choosing (the URL
  // is read by the gateway's fetcher, off the I/O threads); may call back before it returns.
  using Fetch = std::function<void(std::function<void(Result<std::string>)>)>;

  struct Timing {
    std::chrono::seconds refresh_interval{3600};
    std::chrono::milliseconds min_refetch{std::chrono::seconds(30)};
  };

  // `source` names where the keys come from, for the log.
  AppKeySet(Fetch fetch, Timing timing, std::string source);

  // The key `kid` names, of `kind`; with no kid, the set's only key of that kind. Starts a
  // background refresh when the keys are older than the refresh interval.
  [[nodiscard]] std::optional<PublicKey> find(std::string_view kid, KeyKind kind);
  // Fetches the set again (unless one was fetched less than min_refetch ago), and calls `done`
  // once that fetch, or the one already under way, has ended: on the fetching thread, or at
  // once when there is nothing to wait for.
  void refetch(std::function<void()> done);
  // The first fetch, for start-up: waits for it. The error says why it failed.
  [[nodiscard]] Result<void> load();

 private:
  // Marks a fetch as under way, `done` waiting for it; start_fetch() then, outside the lock.
  void begin_fetch_locked(std::function<void()> done);
  void start_fetch();
  void fetched(Result<std::string> document);

  Fetch fetch_;
  Timing timing_;
  std::string source_;

  std::mutex mutex_;
  std::shared_ptr<const std::vector<PublicKey>> keys_ = std::make_shared<const std::vector<PublicKey>>();
  std::optional<Clock::time_point> fetched_at_;  // when the last fetch began
  bool fetching_ = false;
  std::vector<std::function<void()>> waiting_;  // for the fetch under way
  Result<void> last_outcome_;
};

}  // namespace parley::service
