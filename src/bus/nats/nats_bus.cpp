#include "bus/nats/nats_bus.hpp"

#include <nats/nats.h>

#include <condition_variable>
#include <mutex>
#include <random>
#include <spdlog/spdlog.h>
#include <sstream>
#include <vector>

#include "bus/nats/event_codec.hpp"
#include "bus/nats/presence_codec.hpp"
#include "core/metrics.hpp"

namespace parley::bus {

namespace {

// How many bus messages may wait in libnats for one subscription before it drops them (and a
// client fills the gap through sync): far above any burst a node can process, yet bounded.
constexpr int kPendingMessages = 1'000'000;
constexpr int kPendingBytes = 512 * 1024 * 1024;
// Published while NATS is out of reach are kept this long (in bytes) and sent on reconnect.
constexpr int kReconnectBufferBytes = 16 * 1024 * 1024;
constexpr int kReconnectWaitMs = 250;
constexpr int kFlushTimeoutMs = 2000;

std::string nats_error(std::string_view what, natsStatus status) {
  const char* detail = nats_GetLastError(nullptr);
  return std::string(what) + ": " + natsStatus_GetText(status) +
         (detail && *detail ? std::string(" (") + detail + ")" : std::string());
}

std::vector<std::string> split_servers(const std::string& servers) {
  std::vector<std::string> out;
  std::stringstream in(servers);
  for (std::string url; std::getline(in, url, ',');)
    if (!url.empty()) out.push_back(url);
  return out;
}

NodeId random_node_id() {
  std::random_device device;
  return (static_cast<NodeId>(device()) << 32) ^ device();
}

}  // namespace

struct NatsCallbacks {
  static void disconnected(natsConnection*, void*) {
    spdlog::warn("bus: lost the connection to NATS; reconnecting (messages reach other nodes' users through the store meanwhile)");
  }
  // libnats has sent the subscriptions again by now: what other nodes publish from here on
  // arrives, and what they published during the break is read from the store.
  static void reconnected(natsConnection*, void* closure) {
    spdlog::warn("bus: reconnected to NATS");  // the end of an outage, as visible as its start
    metrics::server().bus_reconnects.add();
    static_cast<NatsBus*>(closure)->tell_trouble("reconnected to NATS after a break");
  }
  static void async_error(natsConnection*, natsSubscription*, natsStatus status, void* closure) {
    if (status == NATS_SLOW_CONSUMER)
      static_cast<NatsBus*>(closure)->tell_trouble("this node fell behind the bus and NATS dropped events");
    else
      spdlog::warn("bus: {}", natsStatus_GetText(status));
  }
  static void closed(natsConnection*, void* closure);
};

struct NatsBus::Connection {
  natsOptions* options = nullptr;
  natsConnection* connection = nullptr;
  natsSubscription* events = nullptr;
  natsSubscription* presence = nullptr;

  // libnats runs the callbacks above on a thread of its own, later than the event: closing the
  // connection queues a last "disconnected" there, which could otherwise run after the bus (its
  // closure) and even the process's loggers are gone. The "closed" callback comes after every
  // other one, so close() waits for it.
  std::mutex closed_mutex;
  std::condition_variable closed_cv;
  bool closed = false;

  void close() {
    natsConnection_Close(connection);
    std::unique_lock lock(closed_mutex);
    if (!closed_cv.wait_for(lock, std::chrono::milliseconds(kFlushTimeoutMs), [this] { return closed; }))
      spdlog::warn("bus: NATS did not confirm that the connection is closed");
  }

  ~Connection() {
    natsSubscription_Destroy(events);
    natsSubscription_Destroy(presence);
    natsConnection_Destroy(connection);
    natsOptions_Destroy(options);
  }
};

void NatsCallbacks::closed(natsConnection*, void* closure) {
  auto* c = static_cast<NatsBus::Connection*>(closure);
  std::lock_guard lock(c->closed_mutex);
  c->closed = true;
  c->closed_cv.notify_all();
}

NatsBus::NatsBus(const NatsBusOptions& options)
    : options_(options),
      events_subject_(options.subject_prefix + ".events"),
      presence_subject_(options.subject_prefix + ".presence"),
      node_(random_node_id()),
      connection_(std::make_unique<Connection>()),
      directory_(options.node_ttl) {}

Result<std::unique_ptr<NatsBus>> NatsBus::connect(const NatsBusOptions& options) {
  std::unique_ptr<NatsBus> bus(new NatsBus(options));
  auto servers = split_servers(options.servers);
  if (servers.empty()) return fail(ErrorCode::invalid_payload, "no NATS server given to --bus");
  std::vector<const char*> urls;
  for (const auto& s : servers) urls.push_back(s.c_str());

  Connection& c = *bus->connection_;
  natsStatus s = natsOptions_Create(&c.options);
  if (s == NATS_OK) s = natsOptions_SetServers(c.options, urls.data(), static_cast<int>(urls.size()));
  if (s == NATS_OK) s = natsOptions_SetName(c.options, "parleyd");
  // A node hands its own events to its hub directly; NATS need not send them back.
  if (s == NATS_OK) s = natsOptions_SetNoEcho(c.options, true);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(c.options, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(c.options, kReconnectWaitMs);
  if (s == NATS_OK) s = natsOptions_SetReconnectBufSize(c.options, kReconnectBufferBytes);
  if (s == NATS_OK) s = natsOptions_SetMaxPendingMsgs(c.options, kPendingMessages);
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(c.options, NatsCallbacks::disconnected, bus.get());
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(c.options, NatsCallbacks::reconnected, bus.get());
  if (s == NATS_OK) s = natsOptions_SetErrorHandler(c.options, NatsCallbacks::async_error, bus.get());
  if (s == NATS_OK) s = natsOptions_SetClosedCB(c.options, NatsCallbacks::closed, &c);
  if (s != NATS_OK) return fail(ErrorCode::internal, nats_error("cannot set up the NATS client", s));
  s = natsConnection_Connect(&c.connection, c.options);
  if (s != NATS_OK) return fail(ErrorCode::unavailable, nats_error("cannot connect to NATS at " + options.servers, s));
  return bus;
}

NatsBus::~NatsBus() { stop(); }

void NatsBus::subscribe(Handler handler) { handler_ = std::move(handler); }
void NatsBus::on_presence_elsewhere(PresenceHandler handler) { presence_handler_ = std::move(handler); }
void NatsBus::on_trouble(TroubleHandler handler) { trouble_handler_ = std::move(handler); }

void NatsBus::tell_trouble(std::string_view why) {
  if (trouble_handler_) trouble_handler_(why);
}

Result<void> NatsBus::start() {
  auto on_message = [](natsConnection*, natsSubscription*, natsMsg* message, void* closure) {
    auto* self = static_cast<NatsBus*>(closure);
    std::string_view data(natsMsg_GetData(message), static_cast<std::size_t>(natsMsg_GetDataLength(message)));
    if (natsMsg_GetSubject(message) == self->presence_subject_)
      self->on_presence_message(data);
    else
      self->on_event_message(data);
    natsMsg_Destroy(message);
  };
  Connection& c = *connection_;
  natsStatus s = natsConnection_Subscribe(&c.events, c.connection, events_subject_.c_str(), on_message, this);
  if (s == NATS_OK) s = natsSubscription_SetPendingLimits(c.events, kPendingMessages, kPendingBytes);
  if (s == NATS_OK) s = natsConnection_Subscribe(&c.presence, c.connection, presence_subject_.c_str(), on_message, this);
  // The subscriptions are in place on the server before this node serves anyone.
  if (s == NATS_OK) s = natsConnection_FlushTimeout(c.connection, kFlushTimeoutMs);
  if (s != NATS_OK) return fail(ErrorCode::unavailable, nats_error("cannot subscribe on NATS", s));
  beater_ = std::thread([this] { beat_until_stopped(); });
  return {};
}

void NatsBus::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  wake_.notify_all();
  if (beater_.joinable()) beater_.join();
  Connection& c = *connection_;
  if (!c.connection) return;
  send_presence(encode_presence({PresenceMessage::Kind::leaving, node_, {}}));
  // Let the callbacks that are running finish, so none touches the hub after this returns.
  for (natsSubscription* sub : {c.events, c.presence}) {
    if (!sub) continue;
    if (natsSubscription_Drain(sub) == NATS_OK) natsSubscription_WaitForDrainCompletion(sub, kFlushTimeoutMs);
  }
  natsConnection_FlushTimeout(c.connection, kFlushTimeoutMs);
  c.close();
}

void NatsBus::publish(Event event) {
  // The previous layout has no room for an ended login: nodes of the previous release learn it
  // from the store instead, and an event they would read as an empty frame is not sent.
  const bool unsayable = options_.wire_version < 2 && !event.ended_login.empty();
  if (!event.this_node_only && !unsayable) {
    std::string bytes = encode_event(event, options_.wire_version);
    natsStatus s = natsConnection_Publish(connection_->connection, events_subject_.c_str(), bytes.data(),
                                          static_cast<int>(bytes.size()));
    if (s == NATS_OK)
      metrics::server().bus_published.add();
    else
      spdlog::debug("bus: an event did not reach NATS: {}", natsStatus_GetText(s));
  }
  if (handler_) handler_(event);
}

void NatsBus::on_event_message(std::string_view data) {
  auto event = decode_event(data);
  if (!event) {
    metrics::server().bus_undecodable.add();
    return;
  }
  metrics::server().bus_received.add();
  if (handler_) handler_(*event);
}

void NatsBus::announce_online(UserId user, bool online) {
  std::lock_guard lock(mutex_);
  if (online ? !local_users_.insert(user).second : local_users_.erase(user) == 0) return;
  auto kind = online ? PresenceMessage::Kind::online : PresenceMessage::Kind::offline;
  // Sent under the lock so that the wire carries the changes in the order they were made,
  // never a heartbeat that was built before a change but sent after it.
  send_presence(encode_presence({kind, node_, {user}}));
}

bool NatsBus::online_elsewhere(UserId user) const {
  std::lock_guard lock(mutex_);
  return directory_.online(user);
}

void NatsBus::on_presence_message(std::string_view data) {
  auto message = decode_presence(data);
  if (!message) {
    metrics::server().bus_undecodable.add();
    return;
  }
  if (message->node == node_) return;
  NodeDirectory::Change change;
  {
    std::lock_guard lock(mutex_);
    auto nodes_before = static_cast<std::int64_t>(directory_.node_count());
    auto now = NodeDirectory::Clock::now();
    switch (message->kind) {
      case PresenceMessage::Kind::heartbeat:
        change = directory_.heartbeat(message->node, std::move(message->users), now);
        break;
      case PresenceMessage::Kind::online:
      case PresenceMessage::Kind::offline:
        change = directory_.announce(message->node, message->users.front(),
                                     message->kind == PresenceMessage::Kind::online, now);
        break;
      case PresenceMessage::Kind::leaving:
        change = directory_.leave(message->node);
        break;
    }
    metrics::server().cluster_nodes.add(static_cast<std::int64_t>(directory_.node_count()) - nodes_before);
    // A node just started: it hears this node's users now rather than a heartbeat later.
    if (change.new_node) send_heartbeat_locked();
  }
  tell_presence_handler(change.users);
}

void NatsBus::send_heartbeat_locked() {
  PresenceMessage beat{PresenceMessage::Kind::heartbeat, node_, {local_users_.begin(), local_users_.end()}};
  send_presence(encode_presence(beat));
}

void NatsBus::send_presence(const std::string& bytes) {
  natsStatus s = natsConnection_Publish(connection_->connection, presence_subject_.c_str(), bytes.data(),
                                        static_cast<int>(bytes.size()));
  if (s != NATS_OK) spdlog::debug("bus: presence did not reach NATS: {}", natsStatus_GetText(s));
}

void NatsBus::beat_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    send_heartbeat_locked();
    auto nodes_before = static_cast<std::int64_t>(directory_.node_count());
    auto gone = directory_.expire(NodeDirectory::Clock::now());
    const auto nodes_after = static_cast<std::int64_t>(directory_.node_count());
    metrics::server().cluster_nodes.add(nodes_after - nodes_before);
    if (nodes_after < nodes_before) {
      spdlog::warn("bus: a node stopped beating; {} of its users taken offline", gone.size());
      lock.unlock();
      tell_presence_handler(gone);
      // It may have committed messages and changes it never published.
      tell_trouble("a node stopped beating");
      lock.lock();
    }
    wake_.wait_for(lock, options_.heartbeat, [this] { return stopped_; });
  }
}

void NatsBus::tell_presence_handler(const std::vector<UserId>& users) {
  if (!presence_handler_) return;
  for (UserId user : users) presence_handler_(user);
}

}  // namespace parley::bus
