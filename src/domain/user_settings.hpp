#pragma once
// The settings a user chooses for their own account. Only the user sees them.
#include <optional>
#include <string_view>

#include "domain/push.hpp"
#include "domain/user.hpp"

namespace parley::domain {

// Who is shown how far the user has read: every member of the user's rooms, or only the user's
// own devices. Delivery is shown to every member either way, as WhatsApp shows its grey ticks.
enum class ReadReceipts { everyone, private_ };  // the underscore: "private" is a keyword

[[nodiscard]] std::string_view to_string(ReadReceipts read_receipts);
[[nodiscard]] std::optional<ReadReceipts> read_receipts_from(std::string_view text);

struct UserSettings {
  ReadReceipts read_receipts = ReadReceipts::everyone;
  PushText push_text = PushText::shown;  // whether notifications carry message text
};

// The caller's own account: the profile everyone sees, and the settings only the caller sees.
struct Me {
  User user;
  UserSettings settings;
};

}  // namespace parley::domain
