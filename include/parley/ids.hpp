#pragma once
// Typed identifiers: a UserId never converts into a RoomId by accident.
#include <compare>
#include <cstdint>
#include <functional>

namespace parley {

template <class Tag>
struct Id {
  std::int64_t value = 0;

  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value(v) {}
  constexpr auto operator<=>(const Id&) const = default;
  [[nodiscard]] constexpr bool valid() const { return value > 0; }
};

struct UserTag;
struct RoomTag;
struct MessageTag;
using UserId = Id<UserTag>;
using RoomId = Id<RoomTag>;
using MessageId = Id<MessageTag>;

// A room's gapless, commit-ordered sequence number. 0 means "before the first message".
using Seq = std::int64_t;

// Milliseconds since the Unix epoch.
using TimestampMs = std::int64_t;

}  // namespace parley

template <class Tag>
struct std::hash<parley::Id<Tag>> {
  std::size_t operator()(const parley::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
