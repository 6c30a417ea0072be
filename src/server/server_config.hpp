#pragma once
// Every setting of parleyd, with defaults that run out of the box.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/gateway/gateway_options.hpp"

namespace parley::server {

// `parleyd api-keys create|list|revoke`: runs against the store the settings name, then exits.
struct ApiKeyCommand {
  enum class Action { none, create, list, revoke };
  Action action = Action::none;
  std::string name;    // create
  std::int64_t id = 0;  // revoke
};

struct ServerConfig {
  gateway::GatewayOptions gateway;
  std::string data_dir = "./data";
  std::string store;           // empty: SQLite at <data_dir>/parley.db; or "sqlite:PATH"
  std::string durability = "full";  // "full": acks survive power loss; "process": a crash only
  unsigned io_threads = 0;     // 0: one per core
  unsigned read_threads = 2;
  unsigned hash_threads = 1;  // password hashes at once: each takes a core for tens of ms
  long access_token_ttl_s = 15 * 60;
  long refresh_token_ttl_s = 30L * 24 * 3600;
  std::size_t password_memory_kib = 19 * 1024;
  long typing_timeout_ms = 6000;
  long upload_ttl_s = 24 * 3600;         // an upload no message refers to is removed this old
  long edit_window_s = 2 * 24 * 3600;     // how long a message's sender may edit it
  long upload_sweep_interval_s = 5 * 60;  // how often unreferenced uploads are looked for
  std::string blob_dir;          // empty: blobs/ in the data directory
  std::string signing_key_file;  // empty: signing.key in the data directory
  std::string vapid_key_file;    // empty: vapid.key in the data directory
  std::string vapid_subject;     // mailto: or https: contact for push services; empty: no "sub"
  std::string bus;             // empty: this node alone; or nats://HOST:PORT[,nats://...]
  std::string bus_subject_prefix = "parley";
  long cluster_heartbeat_ms = 1000;
  long cluster_node_ttl_ms = 5000;
  long cluster_gap_hold_ms = 50;     // a gap in a room's messages waits this long for the bus, then the store is read
  long cluster_check_ms = 1000;      // how often rooms are compared with the store, and failed work retried
  int cluster_wire_version = 2;      // the bus event layout published: 1 during a rolling upgrade from it
  // Tokens of the app's own identity provider (docs/operations.md, "Signing in with your app's
  // identity provider"): accepted when a secret, a JWK Set file or a JWK Set URL is set.
  std::string app_jwt_secret;  // HS256/384/512
  std::string app_jwks_file;   // RS and ES keys, read at start and again on an unknown key id
  std::string app_jwks_url;    // the same, fetched over http(s)
  std::string app_jwt_issuer;  // empty: not checked
  std::string app_jwt_audience;  // empty: not checked
  std::string app_user_id_claim = "sub";
  std::string app_username_claim;
  std::string app_display_name_claim;
  long app_jwt_leeway_s = 60;
  long app_jwks_refresh_s = 3600;
  long app_jwks_min_refetch_ms = 30'000;
  // Webhooks (docs/integration.md): one "URL events=TYPE,... secret=whsec_..." per endpoint.
  std::vector<std::string> webhooks;
  long webhook_timeout_ms = 10'000;       // one attempt, connect to answer
  int webhook_max_attempts = 8;           // then the delivery is failed
  long webhook_retry_ms = 5'000;          // the wait before the first retry; doubled for each next
  long webhook_retry_max_ms = 30 * 60'000;  // the longest wait between two attempts
  unsigned webhook_max_in_flight = 32;    // attempts under way at once on this node
  long webhook_poll_ms = 1'000;           // how often the outbox is looked at without a wake-up
  long webhook_keep_hours = 7 * 24;       // delivered and failed deliveries stay listed this long
  // Push notifications (docs/push.md): the same outbox, retried on a shorter scale, since a
  // notification is worth little once it is late.
  long push_timeout_ms = 10'000;          // one attempt at a push gateway, connect to answer
  int push_max_attempts = 6;              // then the notification is failed (dropped)
  long push_retry_ms = 2'000;             // the wait before the first retry; doubled for each next
  long push_retry_max_ms = 5 * 60'000;    // the longest wait between two attempts
  unsigned push_max_in_flight = 64;       // attempts under way at once on this node
  std::string own_accounts = "on";  // "off": only the app's identity provider signs users in
  std::string log_level = "info";
  std::string log_format = "text";
  ApiKeyCommand api_keys;  // none: run the server
};

// Parses flags, PARLEY_* environment variables and the TOML file named by --config, in that
// order of precedence. Returns an exit code when the process should end now (--help, errors).
[[nodiscard]] std::optional<int> load_config(int argc, char** argv, ServerConfig& config);

}  // namespace parley::server
