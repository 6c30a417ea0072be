#pragma once
// The bus between parleyd nodes, over NATS (the C client, libnats).
//
// Every event a node publishes goes to its own hub at once, on the publishing thread, and to
// the other nodes through one NATS subject; each node receives every other node's events and
// its hub keeps those its connections need (docs/operations.md says why one subject rather than
// one per room). NATS keeps one publisher's messages in order on a subject, not a room's: events
// of one room from two nodes interleave, and the hub puts messages back in seq order.
//
// NATS delivers at most once: what is published while a node is cut off, or dropped when it
// cannot keep up, is gone. The bus says so (on_trouble) and the node repairs from the store.
//
// Presence: each node beats its list of online users on a second subject, announces changes
// between beats, and says when it leaves; NodeDirectory turns that into online_elsewhere().
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "bus/bus.hpp"
#include "bus/nats/node_directory.hpp"
#include "core/error.hpp"

namespace parley::bus {

struct NatsBusOptions {
  std::string servers;  // one or more nats:// URLs, separated by commas
  std::string subject_prefix = "parley";  // deployments sharing one NATS each take their own
  std::chrono::milliseconds heartbeat{1000};
  std::chrono::milliseconds node_ttl{5000};  // silent this long: a node is taken as dead
  // The event layout published (event_codec.hpp): the previous one during a rolling upgrade.
  std::uint8_t wire_version = 2;
};

class NatsBus final : public Bus {
 public:
  // Connects, or says why not. Events flow once start() is called.
  static Result<std::unique_ptr<NatsBus>> connect(const NatsBusOptions& options);
  // Tells the other nodes this one is leaving, so its users go offline there at once.
  ~NatsBus() override;

  void publish(Event event) override;
  void subscribe(Handler handler) override;
  void announce_online(UserId user, bool online) override;
  [[nodiscard]] bool online_elsewhere(UserId user) const override;
  void on_presence_elsewhere(PresenceHandler handler) override;
  void on_trouble(TroubleHandler handler) override;
  [[nodiscard]] bool lossy() const override { return true; }

  // After subscribe() and on_presence_elsewhere(): subscribes to the subjects, starts beating.
  Result<void> start();
  // Stops beating, tells the others this node is leaving, and waits for the callbacks that are
  // running: after it returns, no bus thread calls a handler. The destructor calls it too.
  void stop();
  [[nodiscard]] NodeId node_id() const { return node_; }

  struct Connection;  // the libnats handles, kept out of this header

 private:
  explicit NatsBus(const NatsBusOptions& options);

  void on_event_message(std::string_view data);
  void on_presence_message(std::string_view data);
  void send_presence(const std::string& bytes);
  void send_heartbeat_locked();  // mutex_ held
  void beat_until_stopped();
  void tell_presence_handler(const std::vector<UserId>& users);
  void tell_trouble(std::string_view why);
  friend struct NatsCallbacks;  // the NATS client's C callbacks, in nats_bus.cpp

  NatsBusOptions options_;
  std::string events_subject_;
  std::string presence_subject_;
  NodeId node_;
  std::unique_ptr<Connection> connection_;
  Handler handler_;
  PresenceHandler presence_handler_;
  TroubleHandler trouble_handler_;

  mutable std::mutex mutex_;  // guards the three below
  std::unordered_set<UserId> local_users_;
  NodeDirectory directory_;
  bool stopped_ = false;
  std::condition_variable wake_;
  std::thread beater_;
};

}  // namespace parley::bus
