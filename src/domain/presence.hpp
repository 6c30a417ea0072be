#pragma once
// Presence: online while any device is connected, with a status the user chooses. Invisible
// looks exactly like offline to everyone else.
#include <optional>
#include <string_view>

#include "core/ids.hpp"

namespace parley::domain {

enum class PresenceStatus { available, away, busy, invisible };

[[nodiscard]] std::string_view to_string(PresenceStatus status);
[[nodiscard]] std::optional<PresenceStatus> presence_status_from(std::string_view text);

// What the store keeps.
struct StoredPresence {
  UserId user;
  PresenceStatus status = PresenceStatus::available;
  // When others last saw the user online: set when the last device goes, or when the user
  // turns invisible, and never while invisible, so that it cannot give an invisible user away.
  std::optional<TimestampMs> last_seen_at;
};

// What a client is shown.
struct PresenceView {
  UserId user;
  bool online = false;
  PresenceStatus status = PresenceStatus::available;  // meaningful when online, or for oneself
  std::optional<TimestampMs> last_seen_at;
  bool is_self = false;  // the user's own view: the chosen status is always shown
};

// How others see a user: an invisible user is shown offline, with the last seen of the moment
// they went out of sight.
[[nodiscard]] PresenceView seen_by_others(const StoredPresence& stored, bool connected);
// How the user's own devices see them: the truth.
[[nodiscard]] PresenceView seen_by_self(const StoredPresence& stored, bool connected);

}  // namespace parley::domain
