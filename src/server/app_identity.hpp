#pragma once
// The app's identity provider, as the settings describe it: its secret, its key set (from a
// file or a URL, read by a fetcher of its own) and the rules for its tokens' claims.
#include <memory>

#include "core/error.hpp"
#include "server/gateway/http_fetch.hpp"
#include "server/server_config.hpp"
#include "server/service/app_key_set.hpp"
#include "server/service/app_tokens.hpp"
#include "server/service/app_users.hpp"

namespace parley::server {

struct AppIdentity {
  std::unique_ptr<service::AppKeySet> keys;
  std::unique_ptr<service::AppTokens> tokens;
  std::unique_ptr<service::AppUsers> users;
  // Declared last, so destroyed first: its thread may call into the key set until it ends.
  std::unique_ptr<gateway::HttpFetcher> fetcher;
};

// All empty when no provider is set. Fails when a JWK Set file cannot be read or holds no
// usable key (a setting to fix); a URL that does not answer at start is only logged, and tried
// again when a token needs it.
[[nodiscard]] Result<AppIdentity> make_app_identity(const ServerConfig& config, service::WriteQueue& writes,
                                                   service::EventPublisher& events);

}  // namespace parley::server
