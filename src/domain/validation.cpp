#include "domain/validation.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "domain/limits.hpp"
#include "domain/reaction_emoji.hpp"

namespace parley::domain {
namespace {

bool is_username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
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
  if (a.size < 0) return fail(ErrorCode::invalid_payload, "attachment.size must not be negative");
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

std::string username_from(std::string_view wish, std::string_view suffix) {
  std::string name;
  for (unsigned char c : wish) {
    const char lower = static_cast<char>(std::tolower(c));
    if (is_username_char(lower)) name += lower;
  }
  if (name.size() < limits::kUsernameMin) name = "user" + name;
  name.resize(std::min(name.size(), limits::kUsernameMax - std::min(suffix.size(), limits::kUsernameMax)));
  return name + std::string(suffix);
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

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
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

namespace {

// An edit, deletion or reaction: what it names and carries. Whether its target may be acted on
// so is the messages service's to check, against the stored message.
Result<void> validate_event(const Message& message) {
  if (!message.relates_to || *message.relates_to <= 0)
    return fail(ErrorCode::invalid_payload,
                "a message of type " + std::string(to_string(message.type)) + " needs relates_to, the seq it acts on");
  if (message.attachment) return fail(ErrorCode::invalid_payload, "only a message may carry an attachment, not an event");
  if (message.reply_to) return fail(ErrorCode::invalid_payload, "an event cannot be a reply");
  switch (message.type) {
    case MessageType::deletion:
      if (!message.text.empty()) return fail(ErrorCode::invalid_payload, "a deletion carries no text");
      return {};
    case MessageType::reaction:
    case MessageType::reaction_removed: return validate_reaction(message.text);
    default: return {};  // an edit's text: checked against its target's type by the service
  }
}

}  // namespace

Result<void> validate_outgoing(const Message& message) {
  if (message.type == MessageType::system)
    return fail(ErrorCode::invalid_payload, "system messages are written by the server only");
  if (auto ok = validate_client_msg_id(message.client_msg_id); !ok) return ok;
  if (message.text.size() > limits::kTextMaxBytes)
    return fail(ErrorCode::payload_too_large, "text is over 16384 bytes");
  if (is_event(message.type)) return validate_event(message);
  if (message.relates_to) return fail(ErrorCode::invalid_payload, "relates_to belongs to edits, deletions and reactions");
  if (message.reply_to && *message.reply_to <= 0)
    return fail(ErrorCode::invalid_payload, "reply_to must be the seq of a message of the room (above 0)");
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

Result<int> history_page_size(std::optional<long long> requested) {
  if (!requested) return limits::kHistoryPageDefault;
  if (*requested < 1 || *requested > limits::kHistoryPageMax)
    return fail(ErrorCode::invalid_payload, "limit must be between 1 and 100");
  return static_cast<int>(*requested);
}

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Text here is mostly ASCII (JSON punctuation, names): skip eight such bytes at a time.
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    int continuation;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation = 2;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation = 3;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (end - p <= continuation) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int i = 2; i <= continuation; ++i)
      if ((p[i] & 0xC0) != 0x80) return false;
    p += continuation + 1;
  }
  return true;
}

}  // namespace parley::domain
