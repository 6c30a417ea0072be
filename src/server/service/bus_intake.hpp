#pragma once
// What a node does with each event the bus hands it (its own and the other nodes'): the work
// that follows an event besides delivering it, kept out of the wiring in main.cpp.
//   - an ended login is refused from then on, before its connections are closed;
//   - a message from a node of the previous release (bus layout 1) has its seq and sender read
//     from its frame, so that it is delivered in order;
//   - the event is delivered to this node's connections;
//   - a message from another node ends its sender's typing indicator held here, and a member
//     who left or was removed types there no more;
//   - a status chosen through another node (invisible, say) holds here too;
//   - a Supabase Realtime broadcast from another node goes to this node's joiners of its topic.
#include <optional>

#include "bus/bus.hpp"
#include "server/service/live_rooms.hpp"
#include "server/service/presence_service.hpp"
#include "server/service/realtime_relay.hpp"
#include "server/service/revoked_logins.hpp"
#include "server/service/typing_service.hpp"

namespace parley::service {

class BusIntake {
 public:
  BusIntake(LiveRooms& rooms, TypingService& typing, RevokedLogins& revoked, PresenceService& presence,
            RealtimeRelay& realtime)
      : rooms_(rooms), typing_(typing), revoked_(revoked), presence_(presence), realtime_(realtime) {}

  // The bus handler: runs on the publishing thread or a bus thread.
  void on_event(const bus::Event& arrived);

  // The event with seq and author read from its frame, for a message of bus layout 1;
  // nullopt for any other event.
  [[nodiscard]] static std::optional<bus::Event> place_previous_version_message(const bus::Event& arrived);

 private:
  LiveRooms& rooms_;
  TypingService& typing_;
  RevokedLogins& revoked_;
  PresenceService& presence_;
  RealtimeRelay& realtime_;
};

}  // namespace parley::service
