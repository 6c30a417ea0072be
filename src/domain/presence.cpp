#include "domain/presence.hpp"

#include <array>
#include <utility>

namespace parley::domain {
namespace {

constexpr std::array<std::pair<PresenceStatus, std::string_view>, 4> kStatuses{{
    {PresenceStatus::available, "available"},
    {PresenceStatus::away, "away"},
    {PresenceStatus::busy, "busy"},
    {PresenceStatus::invisible, "invisible"}}};

}  // namespace

std::string_view to_string(PresenceStatus status) {
  for (const auto& [value, name] : kStatuses)
    if (value == status) return name;
  return "available";
}

std::optional<PresenceStatus> presence_status_from(std::string_view text) {
  for (const auto& [value, name] : kStatuses)
    if (name == text) return value;
  return std::nullopt;
}

PresenceView seen_by_others(const StoredPresence& stored, bool connected) {
  bool visible = connected && stored.status != PresenceStatus::invisible;
  PresenceView view{stored.user, visible, visible ? stored.status : PresenceStatus::available, stored.last_seen_at};
  return view;
}

PresenceView seen_by_self(const StoredPresence& stored, bool connected) {
  return PresenceView{stored.user, connected, stored.status, stored.last_seen_at, true};
}

}  // namespace parley::domain
