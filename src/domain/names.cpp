// Text names of the domain's enumerations, as they are stored and sent on the wire.
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "domain/message.hpp"
#include "domain/push.hpp"
#include "domain/room.hpp"
#include "domain/user_settings.hpp"

namespace parley::domain {
namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";
}

constexpr std::array<std::pair<RoomKind, std::string_view>, 2> kRoomKinds{{
    {RoomKind::direct, "direct"}, {RoomKind::group, "group"}}};
constexpr std::array<std::pair<Role, std::string_view>, 2> kRoles{{
    {Role::admin, "admin"}, {Role::member, "member"}}};
constexpr std::array<std::pair<MessageType, std::string_view>, 10> kMessageTypes{{
    {MessageType::text, "text"}, {MessageType::image, "image"}, {MessageType::file, "file"},
    {MessageType::audio, "audio"}, {MessageType::video, "video"}, {MessageType::system, "system"},
    {MessageType::edit, "edit"}, {MessageType::deletion, "deletion"}, {MessageType::reaction, "reaction"},
    {MessageType::reaction_removed, "reaction_removed"}}};
constexpr std::array<std::pair<SystemEvent, std::string_view>, 6> kSystemEvents{{
    {SystemEvent::room_created, "room_created"}, {SystemEvent::member_added, "member_added"},
    {SystemEvent::member_removed, "member_removed"}, {SystemEvent::member_left, "member_left"},
    {SystemEvent::role_changed, "role_changed"}, {SystemEvent::room_renamed, "room_renamed"}}};
constexpr std::array<std::pair<ReadReceipts, std::string_view>, 2> kReadReceipts{{
    {ReadReceipts::everyone, "everyone"}, {ReadReceipts::private_, "private"}}};
constexpr std::array<std::pair<PushKind, std::string_view>, 2> kPushKinds{{
    {PushKind::http, "http"}, {PushKind::webpush, "webpush"}}};
constexpr std::array<std::pair<PushText, std::string_view>, 2> kPushTexts{{
    {PushText::shown, "shown"}, {PushText::hidden, "hidden"}}};

}  // namespace

std::string_view to_string(RoomKind kind) { return name_of(kRoomKinds, kind); }
std::string_view to_string(Role role) { return name_of(kRoles, role); }
std::string_view to_string(MessageType type) { return name_of(kMessageTypes, type); }
std::string_view to_string(SystemEvent event) { return name_of(kSystemEvents, event); }
std::string_view to_string(ReadReceipts read_receipts) { return name_of(kReadReceipts, read_receipts); }
std::string_view to_string(PushKind kind) { return name_of(kPushKinds, kind); }
std::string_view to_string(PushText text) { return name_of(kPushTexts, text); }
std::optional<RoomKind> room_kind_from(std::string_view text) { return lookup(kRoomKinds, text); }
std::optional<Role> role_from(std::string_view text) { return lookup(kRoles, text); }
std::optional<MessageType> message_type_from(std::string_view text) { return lookup(kMessageTypes, text); }
std::optional<SystemEvent> system_event_from(std::string_view text) { return lookup(kSystemEvents, text); }
std::optional<ReadReceipts> read_receipts_from(std::string_view text) { return lookup(kReadReceipts, text); }

std::optional<PushKind> push_kind_from(std::string_view text) { return lookup(kPushKinds, text); }
std::optional<PushText> push_text_from(std::string_view text) { return lookup(kPushTexts, text); }

bool carries_attachment(MessageType type) {
  return type == MessageType::image || type == MessageType::file || type == MessageType::audio ||
         type == MessageType::video;
}

bool is_content(MessageType type) { return type == MessageType::text || carries_attachment(type); }

bool is_event(MessageType type) {
  return type == MessageType::edit || type == MessageType::deletion || type == MessageType::reaction ||
         type == MessageType::reaction_removed;
}

std::string direct_room_key(UserId a, UserId b) {
  auto [low, high] = std::minmax(a.value, b.value);
  return std::to_string(low) + ":" + std::to_string(high);
}

}  // namespace parley::domain
