#include "server/service/event_publisher.hpp"

#include <memory>

#include "domain/shared_watermarks.hpp"
#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"
#include "server/service/committed.hpp"
#include "server/service/outbox_recorder.hpp"

namespace parley::service {
namespace {

std::shared_ptr<const std::string> frame(std::string_view name, boost::json::object data) {
  return std::make_shared<const std::string>(protocol::encode_event(name, std::move(data)));
}

}  // namespace

bus::Event message_event(const domain::Message& message, std::uint64_t skip_connection) {
  bus::Event event;
  event.audience = bus::Event::Audience::room;
  event.target = message.room_id.value;
  event.seq = message.seq;
  event.author = message.sender_id;
  event.frame = frame("message", {{"message", protocol::to_json(message)}});
  event.skip_connection = skip_connection;
  return event;
}

void EventPublisher::message(const domain::Message& message, std::uint64_t skip_connection) {
  bus_.publish(message_event(message, skip_connection));
}

void EventPublisher::joined(UserId user, const domain::RoomSummary& room, Seq since_seq,
                            std::uint64_t skip_connection) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = user.value;
  event.frame = frame("room.joined", {{"room", protocol::to_json(room)}});
  event.skip_connection = skip_connection;
  event.membership = bus::MembershipChange{room.room.id, user, true, since_seq};
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

namespace parley::service {

void EventPublisher::receipt(const domain::Member& member, ReceiptAudience audience, std::uint64_t skip_connection) {
  const bool own = audience == ReceiptAudience::own_devices;
  const domain::Member shown = audience == ReceiptAudience::others ? domain::as_others_see(member) : member;
  bus::Event event;
  event.audience = own ? bus::Event::Audience::user : bus::Event::Audience::room;
  event.target = own ? member.user_id.value : member.room_id.value;
  event.frame = frame("receipt", {{"room_id", shown.room_id.value},
                                  {"user_id", shown.user_id.value},
                                  {"delivered_seq", shown.delivered_seq},
                                  {"read_seq", shown.read_seq}});
  event.skip_connection = skip_connection;
  if (audience == ReceiptAudience::others) event.skip_user = member.user_id;
  bus_.publish(std::move(event));
}

void EventPublisher::unread(const domain::Member& member, std::int64_t unread_count, std::uint64_t skip_connection) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = member.user_id.value;
  event.frame = frame("room.unread", {{"room_id", member.room_id.value},
                                      {"delivered_seq", member.delivered_seq},
                                      {"read_seq", member.read_seq},
                                      {"unread_count", unread_count}});
  event.skip_connection = skip_connection;
  bus_.publish(std::move(event));
}

void EventPublisher::typing(RoomId room, UserId user, bool typing) {
  bus::Event event;
  event.audience = bus::Event::Audience::room;
  event.target = room.value;
  event.frame = frame("typing", {{"room_id", room.value}, {"user_id", user.value}, {"typing", typing}});
  event.skip_user = user;
  bus_.publish(std::move(event));
}

void EventPublisher::presence_to_contacts(const domain::PresenceView& seen_by_others, const std::vector<RoomId>& rooms,
                                          bool this_node_only) {
  bus::Event event;
  event.this_node_only = this_node_only;
  event.audience = bus::Event::Audience::rooms;
  event.rooms = rooms;
  event.frame = frame("presence", protocol::to_json(seen_by_others));
  event.skip_user = seen_by_others.user;
  bus_.publish(std::move(event));
}

void EventPublisher::presence_to_user(UserId recipient, const domain::PresenceView& seen_by_others) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = recipient.value;
  event.frame = frame("presence", protocol::to_json(seen_by_others));
  bus_.publish(std::move(event));
}

void EventPublisher::login_ended(UserId user, const std::string& login) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = user.value;
  event.ended_login = login;
  bus_.publish(std::move(event));
}

void EventPublisher::presence_to_self(const domain::PresenceView& seen_by_self) {
  bus::Event event;
  event.audience = bus::Event::Audience::user;
  event.target = seen_by_self.user.value;
  event.frame = frame("presence", protocol::to_json(seen_by_self));
  bus_.publish(std::move(event));
}

}  // namespace parley::service

namespace parley::service {

Result<void> EventPublisher::record_in_outbox(store::StoreSession& session, PendingEvents& events) const {
  for (std::size_t i = 0; i < recorders_.size() && i < kMaxRecorders; ++i) {
    PARLEY_TRY(written, recorders_[i]->record(session, events));
    if (written > 0) events.mark_outbox_written(static_cast<unsigned>(i));
  }
  return {};
}

void EventPublisher::outbox_written(std::uint32_t recorders) const {
  for (std::size_t i = 0; i < recorders_.size() && i < kMaxRecorders; ++i)
    if (recorders & (1u << i)) recorders_[i]->written();
}

}  // namespace parley::service
