#include "server/app_identity.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace parley::server {
namespace {

// RFC 7518 3.2: an HS256 key must be at least as long as the hash, 32 bytes; a shorter one
// can be guessed offline from any one token. Warned about, not refused: it is the provider's.
constexpr std::size_t kMinHmacSecretBytes = 32;

// A JWK Set file larger than this is not a JWK Set.
constexpr std::size_t kMaxJwksFileBytes = std::size_t{1} << 20;

[[nodiscard]] Result<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::unavailable, "cannot read " + path);
  std::string text(kMaxJwksFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return fail(ErrorCode::unavailable, "cannot read " + path);
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxJwksFileBytes) return fail(ErrorCode::unavailable, path + " is larger than 1 MiB");
  return text;
}

}  // namespace

Result<AppIdentity> make_app_identity(const ServerConfig& config, service::WriteQueue& writes,
                                      service::EventPublisher& events) {
  AppIdentity app;
  const bool with_keys = !config.app_jwks_file.empty() || !config.app_jwks_url.empty();
  if (config.app_jwt_secret.empty() && !with_keys) return app;
  if (!config.app_jwt_secret.empty() && config.app_jwt_secret.size() < kMinHmacSecretBytes)
    spdlog::warn("the app's JWT secret is shorter than 32 bytes: tokens signed with it can be forged by guessing it");
  if (with_keys) {
    app.fetcher = std::make_unique<gateway::HttpFetcher>(gateway::HttpFetcher::Limits{});
    service::AppKeySet::Fetch fetch;
    std::string source;
    if (!config.app_jwks_url.empty()) {
      source = config.app_jwks_url;
      fetch = [fetcher = app.fetcher.get(), url = config.app_jwks_url](auto done) { fetcher->get(url, std::move(done)); };
    } else {
      source = config.app_jwks_file;
      fetch = [fetcher = app.fetcher.get(), path = config.app_jwks_file](auto done) {
        fetcher->run([path, done = std::move(done)] { done(read_small_file(path)); });
      };
    }
    app.keys = std::make_unique<service::AppKeySet>(
        std::move(fetch),
        service::AppKeySet::Timing{.refresh_interval = std::chrono::seconds(config.app_jwks_refresh_s),
                                   .min_refetch = std::chrono::milliseconds(config.app_jwks_min_refetch_ms)},
        source);
    if (auto loaded = app.keys->load(); !loaded) {
      if (config.app_jwks_url.empty())
        return fail(ErrorCode::invalid_payload, "the app's JWK Set: " + loaded.error().message);
      spdlog::warn("the app's JWK Set could not be read at start, tried again when a token needs it: {}",
                   loaded.error().message);
    }
  }
  service::AppClaimRules rules{.issuer = config.app_jwt_issuer,
                               .audience = config.app_jwt_audience,
                               .user_id_claim = config.app_user_id_claim,
                               .username_claim = config.app_username_claim,
                               .display_name_claim = config.app_display_name_claim,
                               .leeway = std::chrono::seconds(config.app_jwt_leeway_s)};
  app.tokens = std::make_unique<service::AppTokens>(config.app_jwt_secret, app.keys.get(), std::move(rules));
  app.users = std::make_unique<service::AppUsers>(writes, events);
  spdlog::info("app identity provider: {}{}{}", config.app_jwt_secret.empty() ? "" : "HS tokens with the shared secret",
               config.app_jwt_secret.empty() || !with_keys ? "" : "; ",
               with_keys ? "RS and ES tokens with the keys of " + (config.app_jwks_url.empty() ? config.app_jwks_file : config.app_jwks_url) : "");
  return app;
}

}  // namespace parley::server
