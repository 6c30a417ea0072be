#include "server/service/api_keys.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "core/clock.hpp"
#include "server/service/secrets.hpp"

namespace parley::service {
namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kMaxNameLength = 100;

[[nodiscard]] Error not_a_key() {
  return Error{ErrorCode::unauthorized, "send a valid API key: Authorization: Bearer pk_..."};
}

// A job in a transaction of its own, for the command line, which has no writer thread.
template <class Work>
auto in_transaction(store::StoreSession& session, Work work) -> decltype(work()) {
  PARLEY_CHECK(session.begin_write());
  auto result = work();
  if (!result) {
    session.rollback();
    return result;
  }
  PARLEY_CHECK(session.commit());
  return result;
}

}  // namespace

bool looks_like_api_key(std::string_view token) { return token.starts_with(kApiKeyPrefix); }

std::optional<ApiKeyParts> parse_api_key(std::string_view token) {
  if (!token.starts_with(kApiKeyPrefix)) return std::nullopt;
  token.remove_prefix(kApiKeyPrefix.size());
  const auto underscore = token.find('_');
  if (underscore == std::string_view::npos || underscore == 0) return std::nullopt;
  ApiKeyParts parts;
  auto [end, ec] = std::from_chars(token.data(), token.data() + underscore, parts.id);
  if (ec != std::errc{} || end != token.data() + underscore || parts.id <= 0) return std::nullopt;
  parts.secret = token.substr(underscore + 1);
  if (parts.secret.empty()) return std::nullopt;
  return parts;
}

Result<CreatedApiKey> create_api_key(store::StoreSession& session, const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength)
    return fail(ErrorCode::invalid_payload, "a key's name is 1 to 100 bytes");
  // `api-keys list` prints one key a line, its fields apart by tabs.
  if (std::ranges::any_of(name, [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return fail(ErrorCode::invalid_payload, "a key's name must not hold control characters (tabs, line breaks)");
  std::string secret = random_token(kSecretBytes);
  return in_transaction(session, [&]() -> Result<CreatedApiKey> {
    PARLEY_TRY(key, session.insert_api_key(name, sha256_hex(secret), now_ms()));
    std::string text = std::string(kApiKeyPrefix) + std::to_string(key.id) + "_" + secret;
    return CreatedApiKey{std::move(key), std::move(text)};
  });
}

Result<std::vector<store::ApiKey>> list_api_keys(store::StoreSession& session) { return session.list_api_keys(); }

Result<void> revoke_api_key(store::StoreSession& session, std::int64_t id) {
  return in_transaction(session, [&] { return session.revoke_api_key(id, now_ms()); });
}

void ApiKeys::authenticate(std::string_view token, Done<std::int64_t> done) {
  auto parts = parse_api_key(token);
  if (!parts) return done(std::unexpected(not_a_key()));
  reads_.submit<std::int64_t>(
      [id = parts->id, hash = sha256_hex(parts->secret)](store::StoreSession& session) -> Result<std::int64_t> {
        PARLEY_TRY(key, session.find_api_key(hash));
        // The id must match too: a key is one string, not a secret that fits any id.
        if (!key || key->id != id) return std::unexpected(not_a_key());
        if (key->revoked_at_ms) return fail(ErrorCode::unauthorized, "this API key has been revoked");
        return key->id;
      },
      [this, done = std::move(done)](Result<std::int64_t> id) {
        if (id) note_use(*id);
        done(std::move(id));
      });
}

void ApiKeys::note_use(std::int64_t id) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto [it, first] = touched_.try_emplace(id, now);
    if (!first && now - it->second < kTouchEvery) return;
    it->second = now;
  }
  writes_.submit<std::monostate>(
      [id](store::StoreSession& session) -> Result<std::monostate> {
        PARLEY_CHECK(session.touch_api_key(id, now_ms()));
        return std::monostate{};
      },
      [](Result<std::monostate>) {});  // only a hint for operators: a failed write is not worth an answer
}

}  // namespace parley::service
