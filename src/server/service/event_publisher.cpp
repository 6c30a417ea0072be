#include "server/service/event_publisher.hpp"

#include <memory>

#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"

namespace parley::service {
namespace {

std::shared_ptr<const std::string> frame(std::string_view name, boost::json::object data) {
  return std::make_shared<const std::string>(protocol::encode_event(name, std::move(data)));
}

}  // namespace

void EventPublisher::message(const domain::Message& message, std::uint64_t skip_connection) {
  bus::Event event;
  event.audience = bus::Event::Audience::room;
  event.target = message.room_id.value;
  event.frame = frame("message", {{"message", protocol::to_json(message)}});
  event.skip_connection = skip_connection;
  bus_.publish(std::move(event));
}

void EventPublisher::joined(UserId user, const domain::RoomSummary& room, std::uint64_t skip_connection) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = user.value;
  event.frame = frame("room.joined", {{"room", protocol::to_json(room)}});
  event.skip_connection = skip_connection;
  event.membership = bus::MembershipChange{room.room.id, user, true};
  bus_.publish(std::move(event));
}

void EventPublisher::left(UserId user, RoomId room, std::string_view reason) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = user.value;
  event.frame = frame("room.left", {{"room_id", room.value}, {"reason", reason}});
  event.membership = bus::MembershipChange{room, user, false};
  bus_.publish(std::move(event));
}

void EventPublisher::room_updated(const domain::Room& room, std::int64_t member_count) {
  bus::Event event;
  event.audience = bus::Event::Audience::room;
  event.target = room.id.value;
  event.frame = frame("room.updated", {{"room", protocol::room_fields(room, member_count)}});
  bus_.publish(std::move(event));
}

}  // namespace parley::service
