#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "server/server_config.hpp"
#include "server/service/vapid_token.hpp"

namespace parley::server {

std::optional<int> load_config(int argc, char** argv, ServerConfig& config) {
  CLI::App app{"parleyd: the Parley real-time messaging server.\n"
               "Every option can also be set as PARLEY_<NAME> in the environment, or as name = value in the\n"
               "TOML file given by --config; the command line wins over the environment, which wins over the file."};
  app.set_config("--config", "", "TOML file with settings (keys as the long option names, dashes as dashes)")
      ->envname("PARLEY_CONFIG");
  auto& g = config.gateway;
  auto opt = [&](const std::string& name, auto& target, const std::string& help, const std::string& env) {
    return app.add_option(name, target, help)->envname(env)->capture_default_str();
  };
  opt("--host", g.host, "address to listen on", "PARLEY_HOST");
  opt("--port", g.port, "port to listen on (0: any free port)", "PARLEY_PORT");
  opt("--data-dir", config.data_dir, "directory for the database and the signing secret", "PARLEY_DATA_DIR");
  opt("--store", config.store, "store: sqlite:PATH, or postgresql://USER@HOST:PORT/DB for PostgreSQL (default: SQLite in the data directory)", "PARLEY_STORE");
  opt("--durability", config.durability,
      "full: a message is on disk before it is acknowledged; process: it survives a crash of parleyd, not of the machine",
      "PARLEY_DURABILITY")
      ->check(CLI::IsMember({"full", "process"}));
  opt("--io-threads", config.io_threads, "network threads (0: one per core)", "PARLEY_IO_THREADS");
  opt("--read-threads", config.read_threads, "threads for store reads", "PARLEY_READ_THREADS")
      ->check(CLI::Range(1u, 64u));
  opt("--access-token-ttl", config.access_token_ttl_s, "access token lifetime, seconds", "PARLEY_ACCESS_TOKEN_TTL")
      ->check(CLI::Range(1L, 86400L));
  opt("--refresh-token-ttl", config.refresh_token_ttl_s, "refresh token lifetime, seconds", "PARLEY_REFRESH_TOKEN_TTL")
      ->check(CLI::PositiveNumber);
  opt("--password-memory-kib", config.password_memory_kib, "argon2id memory per password hash, KiB",
      "PARLEY_PASSWORD_MEMORY_KIB")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 22));
  opt("--max-body-bytes", g.max_body_bytes, "largest HTTP request body", "PARLEY_MAX_BODY_BYTES")
      ->check(CLI::PositiveNumber);
  opt("--max-frame-bytes", g.max_frame_bytes, "largest WebSocket frame", "PARLEY_MAX_FRAME_BYTES")
      ->check(CLI::PositiveNumber);
  opt("--max-upload-bytes", g.max_upload_bytes, "largest upload (POST /v1/uploads), streamed to disk",
      "PARLEY_MAX_UPLOAD_BYTES")
      ->check(CLI::PositiveNumber);
  opt("--upload-ttl", config.upload_ttl_s, "seconds after which an upload no message refers to is removed",
      "PARLEY_UPLOAD_TTL")
      ->check(CLI::Range(1L, 365L * 86400));
  opt("--edit-window", config.edit_window_s, "seconds after sending a message during which its sender may edit it",
      "PARLEY_EDIT_WINDOW")
      ->check(CLI::Range(0L, 10L * 365 * 86400));
  opt("--upload-sweep-interval", config.upload_sweep_interval_s, "seconds between looks for unreferenced uploads",
      "PARLEY_UPLOAD_SWEEP_INTERVAL")
      ->check(CLI::Range(1L, 86400L));
  opt("--rate-limit", g.rate_per_second, "requests per second per connection", "PARLEY_RATE_LIMIT")
      ->check(CLI::PositiveNumber);
  opt("--rate-burst", g.rate_burst, "requests a connection may make at once", "PARLEY_RATE_BURST")
      ->check(CLI::PositiveNumber);
  opt("--login-failures-per-account", g.sign_in.account_failures_per_minute,
      "failed logins a minute allowed for one account (bursts of twice as many)", "PARLEY_LOGIN_FAILURES_PER_ACCOUNT")
      ->check(CLI::PositiveNumber);
  opt("--login-failures-per-address", g.sign_in.address_failures_per_minute,
      "failed logins a minute allowed from one address (bursts of twice as many)", "PARLEY_LOGIN_FAILURES_PER_ADDRESS")
      ->check(CLI::PositiveNumber);
  opt("--registrations-per-address", g.sign_in.address_registrations_per_minute,
      "registrations a minute allowed from one address (bursts of twice as many)", "PARLEY_REGISTRATIONS_PER_ADDRESS")
      ->check(CLI::PositiveNumber);
  opt("--hash-threads", config.hash_threads, "password hashes made at once (each takes a core for tens of ms)",
      "PARLEY_HASH_THREADS")
      ->check(CLI::Range(1u, 64u));
  long ping_timeout_s = g.ping_timeout.count();
  opt("--ping-timeout", ping_timeout_s, "seconds of silence after which a WebSocket is dropped", "PARLEY_PING_TIMEOUT")
      ->check(CLI::Range(2L, 3600L));
  opt("--send-queue-frames", g.send_queue_frames, "frames queued per WebSocket before it is dropped as too slow",
      "PARLEY_SEND_QUEUE_FRAMES")
      ->check(CLI::PositiveNumber);
  opt("--send-queue-bytes", g.send_queue_bytes,
      "bytes queued per WebSocket before it is dropped as too slow; over half of it, its requests wait",
      "PARLEY_SEND_QUEUE_BYTES")
      ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30));
  opt("--realtime-channels", g.realtime.channels_per_connection,
      "Supabase Realtime channels one connection may join", "PARLEY_REALTIME_CHANNELS")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
  opt("--realtime-events-per-second", g.realtime.events_per_second,
      "Supabase Realtime messages a second one connection may send (bursts as large)", "PARLEY_REALTIME_EVENTS_PER_SECOND")
      ->check(CLI::PositiveNumber);
  opt("--realtime-joins-per-second", g.realtime.joins_per_second,
      "Supabase Realtime channel joins a second one connection may make (bursts as large)",
      "PARLEY_REALTIME_JOINS_PER_SECOND")
      ->check(CLI::PositiveNumber);
  opt("--typing-timeout-ms", config.typing_timeout_ms, "a typing indicator clears itself this long after the last start",
      "PARLEY_TYPING_TIMEOUT_MS")
      ->check(CLI::Range(100L, 600000L));
  opt("--cluster-gap-hold-ms", config.cluster_gap_hold_ms,
      "a gap in a room's messages waits this long for the bus to fill it before the store is read",
      "PARLEY_CLUSTER_GAP_HOLD_MS")
      ->check(CLI::Range(1L, 10000L));
  opt("--cluster-check-ms", config.cluster_check_ms,
      "how often each room followed is compared with the store, so that nothing the bus lost stays missing",
      "PARLEY_CLUSTER_CHECK_MS")
      ->check(CLI::Range(50L, 600000L));
  opt("--cluster-wire-version", config.cluster_wire_version,
      "the bus event layout this node publishes: 1 while nodes of the previous release still run (it reads both)",
      "PARLEY_CLUSTER_WIRE_VERSION")
      ->check(CLI::Range(1, 2));
  opt("--blob-dir", config.blob_dir,
      "directory of uploaded files (default: blobs in the data directory); the nodes of a cluster share one",
      "PARLEY_BLOB_DIR");
  opt("--signing-key-file", config.signing_key_file,
      "the secret that signs access tokens, made on first start (default: signing.key in the data directory); "
      "the nodes of a cluster share one",
      "PARLEY_SIGNING_KEY_FILE");
  opt("--vapid-key-file", config.vapid_key_file,
      "the VAPID key that signs Web Push requests, made on first start (default: vapid.key in the data directory); "
      "the nodes of a cluster share one, and a new key ends every browser's push subscription",
      "PARLEY_VAPID_KEY_FILE");
  opt("--vapid-subject", config.vapid_subject,
      "a mailto: or https: URL where push services can reach the operator, sent in every Web Push request",
      "PARLEY_VAPID_SUBJECT")
      ->check(CLI::Validator(
          [](std::string& value) {
            if (value.empty()) return std::string();
            auto ok = service::check_vapid_subject(value);
            return ok ? std::string() : ok.error().message;
          },
          "mailto: or https: URL"));
  opt("--bus", config.bus,
      "bus between nodes: nats://HOST:PORT, several separated by commas (default: none, this node alone)",
      "PARLEY_BUS");
  opt("--bus-subject-prefix", config.bus_subject_prefix,
      "first part of every NATS subject; deployments sharing one NATS each take their own", "PARLEY_BUS_SUBJECT_PREFIX");
  opt("--cluster-heartbeat-ms", config.cluster_heartbeat_ms, "how often a node tells the others who is online on it",
      "PARLEY_CLUSTER_HEARTBEAT_MS")
      ->check(CLI::Range(50L, 60000L));
  opt("--cluster-node-ttl-ms", config.cluster_node_ttl_ms,
      "a node silent this long is taken as dead and its users as offline", "PARLEY_CLUSTER_NODE_TTL_MS")
      ->check(CLI::Range(100L, 600000L));
  opt("--allowed-origins", g.allowed_origins,
      "other sites whose pages may use this server from a browser (https://app.example.com, or *); the server's own "
      "origin and apps that send no Origin always may",
      "PARLEY_ALLOWED_ORIGINS")
      ->delimiter(',');
  auto* tls_cert = opt("--tls-cert", g.tls_certificate,
                       "PEM file of this server's certificate and its intermediates: the port then speaks HTTPS and WSS "
                       "only (read again on SIGHUP)",
                       "PARLEY_TLS_CERT");
  auto* tls_key = opt("--tls-key", g.tls_key, "PEM file of the certificate's private key (read again on SIGHUP)",
                      "PARLEY_TLS_KEY");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  opt("--web-dir", g.web_dir, "directory of the web client's files, served at / (empty: none)", "PARLEY_WEB_DIR");
  opt("--own-accounts", config.own_accounts,
      "on: Parley's own accounts (register, password login); off: users sign in only with the app's identity provider",
      "PARLEY_OWN_ACCOUNTS")
      ->check(CLI::IsMember({"on", "off"}));
  opt("--app-jwt-secret", config.app_jwt_secret,
      "the shared secret of the app's identity provider: its HS256/384/512 tokens are accepted (a Supabase project's JWT secret)",
      "PARLEY_APP_JWT_SECRET");
  auto* jwks_file = opt("--app-jwks-file", config.app_jwks_file,
                        "JWK Set file of the app's identity provider: its RS256/384/512 and ES256/384 tokens are accepted",
                        "PARLEY_APP_JWKS_FILE");
  auto* jwks_url = opt("--app-jwks-url", config.app_jwks_url,
                       "JWK Set URL (http:// or https://) of the app's identity provider, fetched and kept; fetched again on "
                       "an unknown key id",
                       "PARLEY_APP_JWKS_URL");
  jwks_file->excludes(jwks_url);
  opt("--app-jwt-issuer", config.app_jwt_issuer, "the iss an app token must carry (empty: not checked)",
      "PARLEY_APP_JWT_ISSUER");
  opt("--app-jwt-audience", config.app_jwt_audience, "the aud an app token must carry (empty: not checked)",
      "PARLEY_APP_JWT_AUDIENCE");
  opt("--app-user-id-claim", config.app_user_id_claim, "the app token claim that holds the user's id",
      "PARLEY_APP_USER_ID_CLAIM");
  opt("--app-username-claim", config.app_username_claim,
      "the app token claim a new user's username is made from (empty: preferred_username, else the email's local part, "
      "else the user id)",
      "PARLEY_APP_USERNAME_CLAIM");
  opt("--app-display-name-claim", config.app_display_name_claim,
      "the app token claim a new user's display name is taken from (empty: name, else the username)",
      "PARLEY_APP_DISPLAY_NAME_CLAIM");
  opt("--app-jwt-leeway", config.app_jwt_leeway_s, "seconds of clock difference allowed on exp, nbf and iat",
      "PARLEY_APP_JWT_LEEWAY")
      ->check(CLI::Range(0L, 600L));
  opt("--app-jwks-refresh", config.app_jwks_refresh_s, "seconds after which the JWK Set is fetched again",
      "PARLEY_APP_JWKS_REFRESH")
      ->check(CLI::Range(10L, 7L * 86400));
  opt("--app-jwks-min-refetch-ms", config.app_jwks_min_refetch_ms,
      "a token with an unknown key id fetches the JWK Set again at most this often", "PARLEY_APP_JWKS_MIN_REFETCH_MS")
      ->check(CLI::Range(0L, 3600'000L));
  opt("--webhook", config.webhooks,
      "a webhook endpoint: \"URL events=TYPE,TYPE,... secret=whsec_BASE64\" (events=* for all); repeat for more",
      "PARLEY_WEBHOOK")
      ->allow_extra_args(false)
      ->delimiter('\n');
  opt("--webhook-timeout-ms", config.webhook_timeout_ms, "the longest one webhook attempt may take",
      "PARLEY_WEBHOOK_TIMEOUT_MS")
      ->check(CLI::Range(100L, 300'000L));
  opt("--webhook-max-attempts", config.webhook_max_attempts, "attempts at a webhook delivery before it is failed",
      "PARLEY_WEBHOOK_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 1000));
  opt("--webhook-retry-ms", config.webhook_retry_ms,
      "the wait before a webhook delivery's first retry; doubled for each next, with jitter", "PARLEY_WEBHOOK_RETRY_MS")
      ->check(CLI::Range(10L, 86'400'000L));
  opt("--webhook-retry-max-ms", config.webhook_retry_max_ms, "the longest wait between two attempts at a webhook delivery",
      "PARLEY_WEBHOOK_RETRY_MAX_MS")
      ->check(CLI::Range(10L, 86'400'000L));
  opt("--webhook-max-in-flight", config.webhook_max_in_flight, "webhook attempts under way at once on this node",
      "PARLEY_WEBHOOK_MAX_IN_FLIGHT")
      ->check(CLI::Range(1u, 1024u));
  opt("--webhook-poll-ms", config.webhook_poll_ms,
      "how often the outbox is looked at for retries due and other nodes' work", "PARLEY_WEBHOOK_POLL_MS")
      ->check(CLI::Range(10L, 60'000L));
  opt("--webhook-keep-hours", config.webhook_keep_hours, "hours delivered and failed webhook deliveries stay listed",
      "PARLEY_WEBHOOK_KEEP_HOURS")
      ->check(CLI::Range(1L, 24L * 365));
  opt("--push-timeout-ms", config.push_timeout_ms, "the longest one attempt at a push gateway may take",
      "PARLEY_PUSH_TIMEOUT_MS")
      ->check(CLI::Range(100L, 300'000L));
  opt("--push-max-attempts", config.push_max_attempts, "attempts at a push notification before it is dropped",
      "PARLEY_PUSH_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 1000));
  opt("--push-retry-ms", config.push_retry_ms,
      "the wait before a push notification's first retry; doubled for each next, with jitter", "PARLEY_PUSH_RETRY_MS")
      ->check(CLI::Range(10L, 86'400'000L));
  opt("--push-retry-max-ms", config.push_retry_max_ms, "the longest wait between two attempts at a push notification",
      "PARLEY_PUSH_RETRY_MAX_MS")
      ->check(CLI::Range(10L, 86'400'000L));
  opt("--push-max-in-flight", config.push_max_in_flight, "push attempts under way at once on this node",
      "PARLEY_PUSH_MAX_IN_FLIGHT")
      ->check(CLI::Range(1u, 1024u));
  opt("--log-level", config.log_level, "trace, debug, info, warn, error", "PARLEY_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  opt("--log-format", config.log_format, "text or json", "PARLEY_LOG_FORMAT")->check(CLI::IsMember({"text", "json"}));
  // The store options above apply to these too, given before or after the subcommand.
  auto* keys = app.add_subcommand("api-keys", "keys of the app's backend for the server API (docs/server-api.md)");
  keys->require_subcommand(1);
  keys->fallthrough();
  using KeyAction = ApiKeyCommand::Action;
  auto* create = keys->add_subcommand("create", "make a key and print it, once: only its hash is kept");
  create->add_option("--name", config.api_keys.name, "what the key is for, shown by list")->required();
  create->fallthrough();
  create->callback([&config] { config.api_keys.action = KeyAction::create; });
  auto* list = keys->add_subcommand("list", "every key: id, name, created, last used, revoked");
  list->fallthrough();
  list->callback([&config] { config.api_keys.action = KeyAction::list; });
  auto* revoke = keys->add_subcommand("revoke", "refuse the key from its next request on, on every node");
  revoke->add_option("id", config.api_keys.id, "the key's id, as list shows it")->required();
  revoke->fallthrough();
  revoke->callback([&config] { config.api_keys.action = KeyAction::revoke; });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints what is wrong; the exit code is ours: 0 for --help, 2 for any bad argument.
    return app.exit(e) == 0 ? 0 : 2;
  }
  g.ping_timeout = std::chrono::seconds(ping_timeout_s);
  g.sign_in.account_failure_burst = 2 * g.sign_in.account_failures_per_minute;
  g.sign_in.address_failure_burst = 2 * g.sign_in.address_failures_per_minute;
  g.sign_in.address_registration_burst = 2 * g.sign_in.address_registrations_per_minute;
  if (config.own_accounts == "off" && config.app_jwt_secret.empty() && config.app_jwks_file.empty() &&
      config.app_jwks_url.empty()) {
    std::cerr << "--own-accounts off needs the app's identity provider: --app-jwt-secret, --app-jwks-file or --app-jwks-url\n";
    return 2;
  }
  if (config.cluster_node_ttl_ms <= config.cluster_heartbeat_ms) {
    std::cerr << "--cluster-node-ttl-ms must be longer than --cluster-heartbeat-ms, or live nodes are taken as dead\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace parley::server
