#pragma once
#include <optional>
// Rules on the shape of user input that hold whatever the transport. Pure functions.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/message.hpp"

namespace parley::domain {

// Returns the canonical (lower-case) username.
[[nodiscard]] Result<std::string> normalize_username(std::string_view username);
// A valid username made from `wish` (an email's local part, a provider's preferred name, an
// id), for users who never chose one: lower case, other characters dropped, cut to the
// longest allowed, and `suffix` (e.g. "-2") kept whole at its end. "user" when nothing is left.
[[nodiscard]] std::string username_from(std::string_view wish, std::string_view suffix = {});
[[nodiscard]] Result<void> validate_password(std::string_view password);
[[nodiscard]] Result<void> validate_display_name(std::string_view name);
[[nodiscard]] Result<void> validate_room_name(std::string_view name);
[[nodiscard]] Result<void> validate_client_msg_id(std::string_view id);
// A message as a user sends it: type, text and attachment fit together.
// An attachment with an upload_id is checked by validate_attachment once the server has filled
// it in from the upload.
[[nodiscard]] Result<void> validate_outgoing(const Message& message);
// The attachment's fields, and that its mime type fits the message type (image needs image/*...).
[[nodiscard]] Result<void> validate_attachment(MessageType type, const Attachment& attachment);
// Clamps a requested history page size into [1, kHistoryPageMax]; 0 means the default.
// Absent: the default page; otherwise 1 to the maximum, and anything else (0 included) refused.
[[nodiscard]] Result<int> history_page_size(std::optional<long long> requested);
[[nodiscard]] bool is_valid_utf8(std::string_view text);
// Empty, or nothing but ASCII white space.
[[nodiscard]] bool is_blank(std::string_view text);

}  // namespace parley::domain
