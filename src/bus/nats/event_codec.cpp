#include "bus/nats/event_codec.hpp"

#include "bus/nats/wire.hpp"

namespace parley::bus {

namespace {
constexpr std::uint8_t kLastAudience = static_cast<std::uint8_t>(Event::Audience::realtime_topic);
}  // namespace

std::string encode_event(const Event& event, std::uint8_t version) {
  wire::Writer w;
  w.u8(version);
  w.u8(static_cast<std::uint8_t>(event.audience));
  w.i64(event.target);
  w.i64(event.skip_user.value);
  w.u32(static_cast<std::uint32_t>(event.rooms.size()));
  for (RoomId room : event.rooms) w.i64(room.value);
  w.u8(event.membership ? 1 : 0);
  if (event.membership) {
    w.i64(event.membership->room.value);
    w.i64(event.membership->user.value);
    w.u8(event.membership->joined ? 1 : 0);
    if (version >= 2) w.i64(event.membership->since_seq);
  }
  if (version >= 2) {
    w.i64(event.seq);
    w.i64(event.author.value);
    w.bytes(event.ended_login);
  }
  w.bytes(event.frame ? std::string_view(*event.frame) : std::string_view());
  return w.take();
}

std::optional<Event> decode_event(std::string_view bytes) {
  wire::Reader r(bytes);
  const std::uint8_t version = r.u8();
  if (version < kOldestWireVersion || version > kWireVersion) return std::nullopt;
  Event event;
  std::uint8_t audience = r.u8();
  if (audience > kLastAudience) return std::nullopt;
  event.audience = static_cast<Event::Audience>(audience);
  event.target = r.i64();
  event.skip_user = UserId{r.i64()};
  std::uint32_t rooms = r.count(8);
  event.rooms.reserve(rooms);
  for (std::uint32_t i = 0; i < rooms; ++i) event.rooms.push_back(RoomId{r.i64()});
  if (r.u8() == 1) {
    MembershipChange change;
    change.room = RoomId{r.i64()};
    change.user = UserId{r.i64()};
    change.joined = r.u8() == 1;
    if (version >= 2) change.since_seq = r.i64();
    event.membership = change;
  }
  if (version >= 2) {
    event.seq = r.i64();
    event.author = UserId{r.i64()};
    event.ended_login = std::string(r.bytes());
    // A seq belongs to a room's stream: on any other audience it is a corrupt event.
    if (event.seq < 0 || (event.seq > 0 && event.audience != Event::Audience::room)) return std::nullopt;
  }
  event.frame = std::make_shared<const std::string>(r.bytes());
  if (!r.at_end()) return std::nullopt;
  event.from_other_node = true;
  return event;
}

}  // namespace parley::bus
