#pragma once
// The Bus carries events between the services that create them and the hubs that hold
// connections: in-process on one node (local/), through NATS between nodes.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace parley::bus {

// A change of who is in a room, which hubs apply to their subscriptions before delivering
// the event's frame, so that a member added gets the room's next messages.
struct MembershipChange {
  RoomId room;
  UserId user;
  bool joined = false;  // false: left or removed
  // For a join: the room's messages up to this seq came before it. A node that starts following
  // the room for this member delivers live from the next one on. Below 0: not known (an event
  // of the previous wire version); the first message that arrives sets it.
  std::int64_t since_seq = -1;
};

struct Event {
  // room: the members of `target`; user: the connections of user `target`; rooms: everyone in
  // any of `rooms`, each connection once (presence goes to all who share a room with someone);
  // realtime_topic: the other nodes' Supabase Realtime joiners of the topic the frame names
  // (a broadcast relayed between nodes), never a hub's connections.
  enum class Audience { room, user, rooms, realtime_topic };
  Audience audience = Audience::room;
  std::int64_t target = 0;  // a RoomId or a UserId value, by audience
  std::vector<RoomId> rooms;
  // The frame as sent on the wire, encoded once and shared by every recipient.
  std::shared_ptr<const std::string> frame;
  // A connection that already has this event (it got it as a reply) and must not get it twice.
  std::uint64_t skip_connection = 0;
  // A user whose connections must not get it: the typist, the subject of a presence change.
  UserId skip_user;
  std::optional<MembershipChange> membership;
  // For a `message` of room `target`: its seq. Hubs deliver a room's messages in seq order,
  // hold back on a gap and fill it from the store (hub/room_stream.hpp). 0: not sequenced.
  std::int64_t seq = 0;
  // For a `message`: who sent it, so that a node holding their typing indicator clears it.
  UserId author;
  // A login that ended (logout, a reused refresh token, a password change): every node refuses
  // its access tokens from now on and closes the connections of user `target` that it opened.
  // Such an event carries no frame.
  std::string ended_login;
  // Set on arrival from another node; never sent.
  bool from_other_node = false;
  // Delivered to this node's connections only. Presence that follows from connections is
  // worked out by every node from the cluster's view of who is online, so each node tells
  // its own connections and the event never crosses the bus (it would arrive once per node).
  bool this_node_only = false;
};

class Bus {
 public:
  using Handler = std::function<void(const Event&)>;
  virtual ~Bus() = default;
  // Thread-safe. Events published from one thread reach each handler in publication order.
  virtual void publish(Event event) = 0;
  // Set once at start-up, before the first publish.
  virtual void subscribe(Handler handler) = 0;

  // --- who is online on the other nodes ---------------------------------------------------
  // One node has no others: these defaults are the whole of it.
  using PresenceHandler = std::function<void(UserId user)>;
  // This node now has (or no longer has) a connection of `user`.
  virtual void announce_online(UserId /*user*/, bool /*online*/) {}
  // Whether a live node other than this one has a connection of `user`.
  [[nodiscard]] virtual bool online_elsewhere(UserId /*user*/) const { return false; }
  // Called, on a bus thread, when online_elsewhere(user) may have changed: another node
  // announced it, or a node stopped beating and its users went with it. Set once at start-up.
  virtual void on_presence_elsewhere(PresenceHandler /*handler*/) {}

  // --- trouble ------------------------------------------------------------------------------
  // Called, on a bus thread, when events may have been lost: the connection to the other nodes
  // came back after a break, this node could not keep up and dropped some, or a node died with
  // events it never sent. The store is the truth: the handler brings this node up to it.
  using TroubleHandler = std::function<void(std::string_view why)>;
  virtual void on_trouble(TroubleHandler /*handler*/) {}
  // Whether events can be lost at all: false for one node alone, whose events never leave it.
  [[nodiscard]] virtual bool lossy() const { return false; }
};

}  // namespace parley::bus
