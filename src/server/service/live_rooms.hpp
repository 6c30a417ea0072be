#pragma once
// What the stream repair needs of the part that delivers events to this node's connections
// (the hub): where each room's delivery stands, and a way to hand it what the store holds.
#include <chrono>
#include <vector>

#include "bus/bus.hpp"
#include "domain/room.hpp"

namespace parley::service {

class LiveRooms {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~LiveRooms() = default;

  // Delivers as the bus does: a room's messages in seq order, each once.
  virtual void on_event(const bus::Event& event) = 0;
  // Each room followed here, with the seq delivered up to (-1: not known until its first message).
  [[nodiscard]] virtual std::vector<domain::RoomHead> positions() const = 0;
  // The rooms holding messages back behind a gap since before `cutoff`, with the seq delivered up to.
  [[nodiscard]] virtual std::vector<domain::RoomHead> gaps_due(Clock::time_point cutoff) const = 0;
  // Whether any room holds messages back.
  [[nodiscard]] virtual bool holding() const = 0;
  // The users with a connection here.
  [[nodiscard]] virtual std::vector<UserId> users() const = 0;
  // Makes `user`'s subscriptions match `rooms`; returns the changes made.
  virtual std::vector<bus::MembershipChange> reconcile(UserId user, const std::vector<domain::RoomHead>& rooms) = 0;
};

}  // namespace parley::service
