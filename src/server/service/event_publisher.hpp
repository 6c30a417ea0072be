#pragma once
// Turns what the services committed into events on the bus: each frame encoded once, shared
// by every connection that receives it.
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/bus.hpp"
#include "core/error.hpp"
#include <vector>

#include "domain/message.hpp"
#include "domain/presence.hpp"
#include "domain/room_summary.hpp"

namespace parley::store {
class StoreSession;
}

namespace parley::service {

class PendingEvents;
class OutboxRecorder;

// Who hears of a member's watermarks: every member of the room, the member's own connections
// only, or the other members only.
enum class ReceiptAudience { room, own_devices, others };

// The `message` event of `message`, to every member's connections but `skip_connection`: what
// the publisher sends after a commit and what the stream repair reads back from the store.
[[nodiscard]] bus::Event message_event(const domain::Message& message, std::uint64_t skip_connection = 0);

class EventPublisher {
 public:
  explicit EventPublisher(bus::Bus& bus) : bus_(bus) {}

  // `message` to every member's connections but `skip_connection` (which got the reply).
  void message(const domain::Message& message, std::uint64_t skip_connection);
  // `room.joined` to the user's connections, after their hubs subscribe them to the room; the
  // room's messages after `since_seq` reach them live.
  void joined(UserId user, const domain::RoomSummary& room, Seq since_seq, std::uint64_t skip_connection);
  // `room.left` to the user's connections, after their hubs unsubscribe them.
  void left(UserId user, RoomId room, std::string_view reason);
  // `room.updated` to every member's connections.
  void room_updated(const domain::Room& room, std::int64_t member_count);
  // `receipt` to `audience` but `skip_connection`. The other members are shown the member's read
  // position only as far as the member shared it (domain/shared_watermarks.hpp).
  void receipt(const domain::Member& member, ReceiptAudience audience, std::uint64_t skip_connection);
  // `room.unread` to the reader's own connections but `skip_connection`.
  void unread(const domain::Member& member, std::int64_t unread_count, std::uint64_t skip_connection);
  // `typing` to the other members of the room.
  void typing(RoomId room, UserId user, bool typing);
  // `presence` as others see it, to everyone sharing one of `rooms` with the user. With
  // `this_node_only`, to this node's connections: for a change every node works out itself.
  void presence_to_contacts(const domain::PresenceView& seen_by_others, const std::vector<RoomId>& rooms,
                            bool this_node_only = false);
  // `presence` of someone, as others see them, to one user's connections.
  void presence_to_user(UserId recipient, const domain::PresenceView& seen_by_others);
  // The end of `user`'s login `login`, to every node: its tokens are refused from now on and
  // its connections closed.
  void login_ended(UserId user, const std::string& login);
  // `presence` as the user sees themselves, to their own connections.
  void presence_to_self(const domain::PresenceView& seen_by_self);

  // Committed changes also leave the system through the outbox (webhooks, push), for each
  // recorder attached (at most kMaxRecorders, at start-up): record_in_outbox runs inside the
  // change's transaction, so the deliveries commit with it; outbox_written runs after the
  // commit with the recorders that wrote some (a bit each), so that their deliveries start at once.
  static constexpr std::size_t kMaxRecorders = 8;
  void attach_outbox(OutboxRecorder& recorder) { recorders_.push_back(&recorder); }
  [[nodiscard]] Result<void> record_in_outbox(store::StoreSession& session, PendingEvents& events) const;
  void outbox_written(std::uint32_t recorders) const;

 private:
  bus::Bus& bus_;
  std::vector<OutboxRecorder*> recorders_;
};

}  // namespace parley::service
