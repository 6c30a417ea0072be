#include "domain/validation.hpp"

#include <algorithm>
#include <cctype>

#include "domain/limits.hpp"

namespace parley::domain {
namespace {

bool is_username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

Result<void> validate_mime_type(std::string_view mime) {
  auto slash = mime.find('/');
  if (mime.empty() || mime.size() > limits::kMimeTypeMax || slash == std::string_view::npos || slash == 0 ||
      slash + 1 == mime.size())
    return fail(ErrorCode::invalid_payload, "attachment.mime_type must look like type/subtype");
  for (char c : mime)
    if (c <= ' ' || c >= 127) return fail(ErrorCode::invalid_payload, "attachment.mime_type has invalid characters");
  return {};
}

}  // namespace

Result<void> validate_attachment(MessageType type, const Attachment& a) {
  if (a.name.empty() || a.name.size() > limits::kAttachmentNameMaxBytes)
    return fail(ErrorCode::invalid_payload, "attachment.name must be 1 to 255 bytes");
  if (auto ok = validate_mime_type(a.mime_type); !ok) return ok;
  if (a.size_bytes < 0) return fail(ErrorCode::invalid_payload, "attachment.size must not be negative");
  if ((a.width && *a.width <= 0) || (a.height && *a.height <= 0))
    return fail(ErrorCode::invalid_payload, "attachment.width and height must be positive");
  if (a.duration_ms && *a.duration_ms < 0)
    return fail(ErrorCode::invalid_payload, "attachment.duration_ms must not be negative");
  std::string_view family = std::string_view(a.mime_type).substr(0, a.mime_type.find('/'));
  if ((type == MessageType::image && family != "image") || (type == MessageType::audio && family != "audio") ||
      (type == MessageType::video && family != "video"))
    return fail(ErrorCode::invalid_payload,
                "an " + std::string(to_string(type)) + " message needs a " + std::string(to_string(type)) +
                    "/* attachment, not " + a.mime_type);
  return {};
}

Result<std::string> normalize_username(std::string_view username) {
  std::string lower(username);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.size() < limits::kUsernameMin || lower.size() > limits::kUsernameMax ||
      !std::all_of(lower.begin(), lower.end(), is_username_char))
    return fail(ErrorCode::invalid_payload, "username must be 3 to 32 of a-z, 0-9, '_', '.' and '-'");
  return lower;
}

Result<void> validate_password(std::string_view password) {
  if (password.size() < limits::kPasswordMin || password.size() > limits::kPasswordMax)
    return fail(ErrorCode::invalid_payload, "password must be 8 to 256 bytes long");
  return {};
}

Result<void> validate_display_name(std::string_view name) {
  if (name.empty() || name.size() > limits::kDisplayNameMaxBytes || is_blank(name))
    return fail(ErrorCode::invalid_payload, "display_name must be 1 to 128 bytes and not blank");
  return {};
}

Result<void> validate_room_name(std::string_view name) {
  if (name.empty() || name.size() > limits::kRoomNameMaxBytes || is_blank(name))
    return fail(ErrorCode::invalid_payload, "a group name must be 1 to 128 bytes and not blank");
  return {};
}

Result<void> validate_client_msg_id(std::string_view id) {
  if (id.empty() || id.size() > limits::kClientMsgIdMax)
    return fail(ErrorCode::invalid_payload, "client_msg_id must be 1 to 64 characters");
  for (char c : id)
    if (c <= ' ' || c >= 127)
      return fail(ErrorCode::invalid_payload, "client_msg_id must be printable ASCII without spaces");
  return {};
}

Result<void> validate_outgoing(const Message& message) {
  if (message.type == MessageType::system)
    return fail(ErrorCode::invalid_payload, "system messages are written by the server only");
  if (auto ok = validate_client_msg_id(message.client_msg_id); !ok) return ok;
  if (message.text.size() > limits::kTextMaxBytes)
    return fail(ErrorCode::payload_too_large, "text is over 16384 bytes");
  if (message.type == MessageType::text) {
    if (message.attachment) return fail(ErrorCode::invalid_payload, "a text message has no attachment");
    if (message.text.empty() || is_blank(message.text))
      return fail(ErrorCode::invalid_payload, "a text message needs non-blank text");
    return {};
  }
  if (!message.attachment)
    return fail(ErrorCode::invalid_payload,
                "an " + std::string(to_string(message.type)) + " message needs an attachment");
  // An upload's name, type and size are the server's to fill in from the upload (the
  // messages service checks them then); the client's own dimensions still have to make sense.
  if (!message.attachment->upload_id.empty()) {
    const Attachment& a = *message.attachment;
    if ((a.width && *a.width <= 0) || (a.height && *a.height <= 0))
      return fail(ErrorCode::invalid_payload, "attachment.width and height must be positive");
    if (a.duration_ms && *a.duration_ms < 0)
      return fail(ErrorCode::invalid_payload, "attachment.duration_ms must not be negative");
    return {};
  }
  return validate_attachment(message.type, *message.attachment);
}

Result<int> history_page_size(long long requested) {
  if (requested == 0) return limits::kHistoryPageDefault;
  if (requested < 0 || requested > limits::kHistoryPageMax)
    return fail(ErrorCode::invalid_payload, "limit must be between 1 and 100");
  return static_cast<int>(requested);
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0, n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

}  // namespace parley::domain
