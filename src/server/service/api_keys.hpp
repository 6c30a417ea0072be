#pragma once
// Keys of the app's backend for the server API (docs/server-api.md). A key reads
// "pk_<id>_<secret>": the prefix tells it from any user token at a glance, the id names the
// key in `parleyd api-keys list`, and the secret is 256 random bits. The store keeps only the
// secret's SHA-256: a secret that long cannot be guessed, so a slow password hash would buy
// nothing and cost every request.
//
// The free functions are what `parleyd api-keys` runs against the store; ApiKeys is what the
// server asks on every request of the server API.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"
#include "store/store.hpp"

namespace parley::service {

inline constexpr std::string_view kApiKeyPrefix = "pk_";

// Whether `token` is shaped as an API key: such a token is never taken as a user's.
[[nodiscard]] bool looks_like_api_key(std::string_view token);

// What a key says of itself; nullopt when `token` is not shaped as "pk_<id>_<secret>".
struct ApiKeyParts {
  std::int64_t id = 0;
  std::string_view secret;  // a view into the token
};
[[nodiscard]] std::optional<ApiKeyParts> parse_api_key(std::string_view token);

struct CreatedApiKey {
  store::ApiKey key;
  std::string text;  // the whole key, to show once: it is not kept
};

// Each in a transaction of its own. invalid_payload for an empty or over-long name;
// not_found for revoking a key that does not exist.
[[nodiscard]] Result<CreatedApiKey> create_api_key(store::StoreSession& session, const std::string& name);
[[nodiscard]] Result<std::vector<store::ApiKey>> list_api_keys(store::StoreSession& session);
[[nodiscard]] Result<void> revoke_api_key(store::StoreSession& session, std::int64_t id);

class ApiKeys {
 public:
  ApiKeys(ReadPool& reads, WriteQueue& writes) : reads_(reads), writes_(writes) {}

  // The key's id, or unauthorized. The store is read on every request (one indexed look-up on
  // a reader thread), so that a key revoked by `parleyd api-keys revoke`, on whichever node,
  // is refused from the next request on. `done` runs on a reader thread.
  void authenticate(std::string_view token, Done<std::int64_t> done);

 private:
  // last_used_at is written at most this often per key: it tells an operator whether a key is
  // still in use, which needs no more than that, and a busy backend would otherwise cost a
  // write per request.
  static constexpr std::chrono::seconds kTouchEvery{60};
  void note_use(std::int64_t id);

  ReadPool& reads_;
  WriteQueue& writes_;
  std::mutex mutex_;  // guards touched_
  std::unordered_map<std::int64_t, std::chrono::steady_clock::time_point> touched_;
};

}  // namespace parley::service
