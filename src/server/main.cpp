// parleyd: wires the layers together. The only file that names the concrete store and bus.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <sys/resource.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <spdlog/spdlog.h>
#include <thread>
#include <vector>

#include "blob/filesystem/filesystem_blob_store.hpp"
#include "bus/local/local_bus.hpp"
#include "bus/nats/nats_bus.hpp"
#include "core/metrics.hpp"
#include "core/thread_name.hpp"
#include "server/api_key_command.hpp"
#include "server/gateway/gateway.hpp"
#include "server/hub/hub.hpp"
#include "server/logging.hpp"
#include "server/server_config.hpp"
#include "server/service/bus_intake.hpp"
#include "server/service/revoked_logins.hpp"
#include "server/service/services.hpp"
#include "server/service/stream_repair.hpp"
#include "server/service/upload_sweeper.hpp"
#include "server/app_identity.hpp"
#include "server/signing_secret.hpp"
#include "server/push.hpp"
#include "server/vapid_keys.hpp"
#include "server/webhooks.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace net = boost::asio;
using namespace parley;

namespace {

// How long shutdown waits for WebSockets to finish their close handshake before it stops.
constexpr auto kCloseGrace = std::chrono::seconds(5);

// The store --store names, and where it is for the logs.
struct ChosenStore {
  std::unique_ptr<store::Store> store;
  std::string where;
};

// Empty: SQLite in the data directory; "sqlite:PATH": SQLite elsewhere; "postgres://..." or
// "postgresql://...": PostgreSQL, the URI passed to libpq as it is.
Result<ChosenStore> choose_store(const server::ServerConfig& config) {
  const bool durable = config.durability == "full";
  if (config.store.starts_with("postgres://") || config.store.starts_with("postgresql://")) {
    // The URI may hold a password: the logs name the backend only.
    return ChosenStore{store::make_postgres_store({.conninfo = config.store, .durable = durable}), "PostgreSQL"};
  }
  std::string path;
  constexpr std::string_view kScheme = "sqlite:";
  if (config.store.empty())
    path = (std::filesystem::path(config.data_dir) / "parley.db").string();
  else if (config.store.starts_with(kScheme))
    path = config.store.substr(kScheme.size());
  else
    return fail(ErrorCode::invalid_payload,
                "unsupported --store \"" + config.store + "\": use sqlite:PATH or postgresql://...");
  metrics::server().database_heap_bytes = store::sqlite_heap_bytes;
  return ChosenStore{store::make_sqlite_store({path, durable}), path};
}

// The bus --bus names: this node alone, or NATS between nodes.
struct ChosenBus {
  std::unique_ptr<bus::Bus> bus;
  bus::NatsBus* nats = nullptr;  // set when the bus is NATS, which has to be started and stopped
};

Result<ChosenBus> choose_bus(const server::ServerConfig& config) {
  if (config.bus.empty() || config.bus == "local") return ChosenBus{std::make_unique<bus::LocalBus>()};
  if (!config.bus.starts_with("nats://"))
    return fail(ErrorCode::invalid_payload, "unsupported --bus \"" + config.bus + "\": use nats://HOST:PORT");
  PARLEY_TRY(nats, bus::NatsBus::connect({.servers = config.bus,
                                          .subject_prefix = config.bus_subject_prefix,
                                          .heartbeat = std::chrono::milliseconds(config.cluster_heartbeat_ms),
                                          .node_ttl = std::chrono::milliseconds(config.cluster_node_ttl_ms),
                                          .wire_version = static_cast<std::uint8_t>(config.cluster_wire_version)}));
  ChosenBus chosen;
  chosen.nats = nats.get();
  chosen.bus = std::move(nats);
  return chosen;
}

// Each connection is a file descriptor: take every one the system allows this process.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) == 0) spdlog::info("open files limit raised to {}", limit.rlim_max);
}

// `parleyd api-keys ...`: against the store the settings name, migrated first, as the server
// would; then the process ends.
int run_api_key_command(const server::ServerConfig& config) {
  if (auto ok = service::init_crypto(); !ok) {
    std::cerr << ok.error().message << "\n";
    return 1;
  }
  std::error_code fs_error;
  if (config.store.empty()) std::filesystem::create_directories(config.data_dir, fs_error);
  auto chosen = choose_store(config);
  if (!chosen) {
    std::cerr << chosen.error().message << "\n";
    return 1;
  }
  if (auto migrated = chosen->store->migrate(); !migrated) {
    std::cerr << "cannot prepare the database " << chosen->where << ": " << migrated.error().message << "\n";
    return 1;
  }
  auto session = chosen->store->open_session();
  if (!session) {
    std::cerr << "cannot open the database " << chosen->where << ": " << session.error().message << "\n";
    return 1;
  }
  return server::run_api_key_command(config.api_keys, **session, std::cout, std::cerr);
}

int run(const server::ServerConfig& config) {
  raise_open_file_limit();
  if (auto ok = service::init_crypto(); !ok) {
    spdlog::critical("{}", ok.error().message);
    return 1;
  }
  std::error_code fs_error;
  std::filesystem::create_directories(config.data_dir, fs_error);
  if (fs_error) {
    spdlog::critical("cannot create the data directory {}: {}", config.data_dir, fs_error.message());
    return 1;
  }
  auto secret = server::load_or_create_signing_secret(
      config.signing_key_file.empty() ? std::filesystem::path(config.data_dir) / "signing.key"
                                      : std::filesystem::path(config.signing_key_file));
  auto vapid = config.vapid_key_file.empty() ? server::VapidKeys::load_or_create(config.data_dir)
                                             : server::VapidKeys::load_or_create_file(config.vapid_key_file);
  if (!vapid) {
    spdlog::critical("{}", vapid.error().message);
    return 1;
  }
  if (config.vapid_subject.empty())
    spdlog::warn("no --vapid-subject: Web Push requests carry no contact, and some push services (Apple's) refuse them");
  const service::WebPushSigner web_push = vapid->signer(config.vapid_subject);
  auto chosen = choose_store(config);
  if (!secret || !chosen) {
    spdlog::critical("{}", (!secret ? secret.error() : chosen.error()).message);
    return 1;
  }

  const unsigned io_threads = config.io_threads ? config.io_threads : std::max(1u, std::thread::hardware_concurrency());
  // Declared first so that it outlives every session that uses it.
  net::io_context io(static_cast<int>(io_threads));

  auto store = std::move(chosen->store);
  if (auto migrated = store->migrate(); !migrated) {
    spdlog::critical("cannot prepare the database {}: {}", chosen->where, migrated.error().message);
    return 1;
  }
  auto writer_session = store->open_session();
  auto repair_session = store->open_session();
  std::vector<std::unique_ptr<store::StoreSession>> reader_sessions;
  for (unsigned i = 0; i < config.read_threads; ++i) {
    auto session = store->open_session();
    if (!session) {
      spdlog::critical("cannot open the database: {}", session.error().message);
      return 1;
    }
    reader_sessions.push_back(std::move(*session));
  }
  if (!writer_session || !repair_session) {
    spdlog::critical("cannot open the database: {}", (!writer_session ? writer_session : repair_session).error().message);
    return 1;
  }

  service::WriteQueue writes(std::move(*writer_session), {});
  service::ReadPool reads(std::move(reader_sessions));
  auto chosen_bus = choose_bus(config);
  if (!chosen_bus) {
    spdlog::critical("{}", chosen_bus.error().message);
    return 1;
  }
  bus::Bus& bus = *chosen_bus->bus;
  hub::Hub hub;
  service::EventPublisher events(bus);
  auto webhooks = server::make_webhooks(config, writes, reads, events);
  if (!webhooks) {
    spdlog::critical("{}", webhooks.error().message);
    return 1;
  }
  service::AccessTokens tokens(*secret, std::chrono::seconds(config.access_token_ttl_s));
  service::AccountsSettings account_settings;
  account_settings.password_cost.memory_bytes = config.password_memory_kib * 1024;
  account_settings.refresh_ttl = std::chrono::seconds(config.refresh_token_ttl_s);
  account_settings.own_accounts = config.own_accounts == "on";
  service::RevokedLogins revoked_logins;
  if (auto loaded = revoked_logins.reload(**repair_session); !loaded)
    spdlog::warn("cannot read the ended logins: {}", loaded.error().message);
  service::PasswordHasher hasher(config.hash_threads);
  service::AccountsService accounts(writes, reads, hasher, events, tokens, revoked_logins, account_settings);
  auto app_identity = server::make_app_identity(config, writes, events);
  if (!app_identity) {
    spdlog::critical("{}", app_identity.error().message);
    return 1;
  }
  service::Authenticator authenticator(accounts, app_identity->tokens.get(), app_identity->users.get());
  // The server API upserts users by the same external id app tokens sign in with, with or
  // without an identity provider set.
  if (!app_identity->users) app_identity->users = std::make_unique<service::AppUsers>(writes, events);
  service::ApiKeys api_keys(reads, writes);
  service::SettingsService settings(writes, reads);
  service::PushInUse push_in_use;
  service::PushTargetsService push_targets(writes, reads, push_in_use);
  service::PresenceService presence(writes, reads, events, bus);
  bus.on_presence_elsewhere([&presence](UserId user) { presence.elsewhere_changed(user); });
  server::Push push = server::make_push(config, writes, reads, events, presence, push_in_use, web_push);
  service::RoomsService rooms(writes, reads, events, presence);
  service::MembersService members(writes, reads, events, presence);
  service::TypingService typing(reads, events, std::chrono::milliseconds(config.typing_timeout_ms),
                                [&hub](UserId user, RoomId room) { return hub.knows_member(user, room); },
                                [&presence](UserId user) { return presence.invisible(user); });
  service::MessagesService messages(writes, reads, events, typing, {.edit_window_ms = config.edit_window_s * 1000});
  service::RealtimeRelay realtime_relay(bus);
  service::BusIntake intake(hub, typing, revoked_logins, presence, realtime_relay);
  bus.subscribe([&intake](const bus::Event& event) { intake.on_event(event); });
  service::StreamRepair repair(std::move(*repair_session), hub,
                               {.gap_hold = std::chrono::milliseconds(config.cluster_gap_hold_ms),
                                .check_interval = std::chrono::milliseconds(config.cluster_check_ms),
                                .check_store = bus.lossy(),
                                .on_tick =
                                    [&presence, &revoked_logins](store::StoreSession& session) {
                                      presence.retry_failed();
                                      // What another node ended while this one missed its event.
                                      (void)revoked_logins.reload(session);
                                    }});
  hub.on_gap([&repair] { repair.gap_opened(); });
  bus.on_trouble([&repair](std::string_view why) { repair.trouble(why); });
  service::ReceiptsService receipts(writes, reads, events);
  service::SyncService sync(reads);
  auto blobs = blob::make_filesystem_blob_store(config.blob_dir.empty()
                                                    ? std::filesystem::path(config.data_dir) / "blobs"
                                                    : std::filesystem::path(config.blob_dir));
  if (!blobs) {
    spdlog::critical("{}", blobs.error().message);
    return 1;
  }
  service::UploadsService uploads(writes, reads, **blobs, {.ttl = std::chrono::seconds(config.upload_ttl_s)});
  service::UploadSweeper upload_sweeper(uploads, std::chrono::seconds(config.upload_sweep_interval_s));

  gateway::Gateway gateway(io, config.gateway,
                           service::Services{accounts, settings, rooms, members, messages, receipts, typing, presence,
                                             sync, uploads, authenticator, api_keys, *app_identity->users,
                                             *webhooks->deliveries, push_targets, web_push, realtime_relay},
                           hub);
  if (chosen_bus->nats) {
    if (auto started = chosen_bus->nats->start(); !started) {
      spdlog::critical("{}", started.error().message);
      return 1;
    }
    spdlog::info("bus: NATS at {}, node {:016x}", config.bus, chosen_bus->nats->node_id());
  }
  auto port = gateway.start();
  if (!port) {
    spdlog::critical("{}", port.error().message);
    return 1;
  }
  spdlog::info("parleyd listening on {}:{} (data in {}, durability {})", config.gateway.host, *port, config.data_dir,
               config.durability);

  // SIGTERM: stop accepting; let the writer commit and acknowledge everything queued; then
  // close every WebSocket with 1001 once its queue is sent; then stop.
  std::thread shutdown;
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    shutdown = std::thread([&] {
      gateway.stop_accepting();
      upload_sweeper.stop();
      webhooks->stop_sending();
      push.stop_sending();
      writes.stop();
      reads.stop();
      hasher.stop();
      gateway.close_connections();
      auto deadline = std::chrono::steady_clock::now() + kCloseGrace;
      while (hub.connection_count() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      io.stop();
    });
  });

  // SIGHUP: read the TLS certificate and key again (a renewed certificate), for new connections.
  net::signal_set reload_signal(io, SIGHUP);
  std::function<void()> await_reload = [&] {
    reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      if (auto reloaded = gateway.reload_certificate(); !reloaded)
        spdlog::error("SIGHUP: the TLS certificate was not reloaded, the previous one stays: {}", reloaded.error().message);
      else
        spdlog::info("SIGHUP: TLS certificate reloaded");
      await_reload();
    });
  };
  await_reload();

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < io_threads; ++i) {
    threads.emplace_back([&io] {
      core::name_this_thread("parley-io");
      io.run();
    });
  }
  io.run();
  for (auto& t : threads) t.join();
  if (shutdown.joinable()) shutdown.join();
  // The bus stops first: after it, no bus thread calls into the hub or the services.
  if (chosen_bus->nats) chosen_bus->nats->stop();
  repair.stop();
  webhooks->stop_sending();
  push.stop_sending();
  writes.stop();
  reads.stop();
  store->checkpoint();
  spdlog::info("parleyd stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  server::ServerConfig config;
  if (auto exit_code = server::load_config(argc, argv, config)) return *exit_code;
  server::setup_logging(config.log_format, config.log_level);
  try {
    if (config.api_keys.action != server::ApiKeyCommand::Action::none) return run_api_key_command(config);
    return run(config);
  } catch (const std::exception& e) {
    spdlog::critical("parleyd stopped on an unexpected error: {}", e.what());
    return 1;
  }
}
