#include "bus/nats/presence_codec.hpp"

#include "bus/nats/wire.hpp"

namespace parley::bus {

namespace {
constexpr std::uint8_t kVersion = 1;
}

std::string encode_presence(const PresenceMessage& message) {
  wire::Writer w;
  w.u8(kVersion);
  w.u8(static_cast<std::uint8_t>(message.kind));
  w.i64(static_cast<std::int64_t>(message.node));
  w.u32(static_cast<std::uint32_t>(message.users.size()));
  for (UserId user : message.users) w.i64(user.value);
  return w.take();
}

std::optional<PresenceMessage> decode_presence(std::string_view bytes) {
  wire::Reader r(bytes);
  if (r.u8() != kVersion) return std::nullopt;
  PresenceMessage message;
  std::uint8_t kind = r.u8();
  if (kind < 1 || kind > 4) return std::nullopt;
  message.kind = static_cast<PresenceMessage::Kind>(kind);
  message.node = static_cast<NodeId>(r.i64());
  std::uint32_t users = r.count(8);
  message.users.reserve(users);
  for (std::uint32_t i = 0; i < users; ++i) message.users.push_back(UserId{r.i64()});
  if (!r.at_end()) return std::nullopt;
  bool one_user = message.kind == PresenceMessage::Kind::online || message.kind == PresenceMessage::Kind::offline;
  if (one_user && message.users.size() != 1) return std::nullopt;
  return message;
}

}  // namespace parley::bus
