#include "server/service/bus_intake.hpp"

#include "protocol/frames.hpp"

namespace parley::service {

std::optional<bus::Event> BusIntake::place_previous_version_message(const bus::Event& arrived) {
  if (!arrived.from_other_node || arrived.seq != 0 || arrived.audience != bus::Event::Audience::room || !arrived.frame)
    return std::nullopt;
  auto position = protocol::message_position(*arrived.frame);
  if (!position) return std::nullopt;
  bus::Event placed = arrived;
  placed.seq = position->seq;
  placed.author = UserId{position->sender};
  return placed;
}

void BusIntake::on_event(const bus::Event& arrived) {
  if (arrived.audience == bus::Event::Audience::realtime_topic) {
    // This node's own joiners had it when it was sent.
    if (arrived.from_other_node) realtime_.arrived(arrived);
    return;
  }
  std::optional<bus::Event> placed = place_previous_version_message(arrived);
  const bus::Event& event = placed ? *placed : arrived;
  if (!event.ended_login.empty()) revoked_.revoke(event.ended_login);
  if (event.from_other_node && event.audience == bus::Event::Audience::user && event.frame) {
    // Only the user's own devices are told their status: that event is the one to follow. It
    // holds here before those devices hear it, so that nothing they do next is shown as before.
    if (auto seen = protocol::presence_status(*event.frame); seen && seen->user == event.target) {
      if (auto status = domain::presence_status_from(seen->status)) presence_.status_chosen_elsewhere(UserId{seen->user}, *status);
    }
  }
  rooms_.on_event(event);
  if (event.from_other_node && event.seq > 0) typing_.message_sent(event.author, RoomId{event.target});
  if (event.membership && !event.membership->joined) typing_.member_left(event.membership->user, event.membership->room);
}

}  // namespace parley::service
