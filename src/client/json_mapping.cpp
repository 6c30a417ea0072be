#include "client/json_mapping.hpp"

#include "client/transport.hpp"
#include "protocol/json_codec.hpp"

namespace parley {

const char* to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::offline: return "offline";
    case ConnectionState::connecting: return "connecting";
    case ConnectionState::online: return "online";
  }
  return "offline";
}

const char* to_string(MessageState state) {
  switch (state) {
    case MessageState::pending: return "pending";
    case MessageState::sent: return "sent";
    case MessageState::delivered: return "delivered";
    case MessageState::read: return "read";
    case MessageState::failed: return "failed";
  }
  return "sent";
}

bool is_event_type(const std::string& type) {
  return type == "edit" || type == "deletion" || type == "reaction" || type == "reaction_removed";
}

}  // namespace parley

namespace parley::client {

namespace json = boost::json;

namespace {

// What a server wrote is read leniently, with the same reads the server's codec offers.
std::int64_t int_of(const json::object& o, std::string_view key) { return protocol::lenient_int(o, key).value_or(0); }

std::optional<std::int64_t> optional_int(const json::object& o, std::string_view key) {
  return protocol::lenient_int(o, key);
}

std::string string_of(const json::object& o, std::string_view key) { return protocol::lenient_string(o, key); }

bool bool_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

const json::object& object_of(const json::value& v) {
  static const json::object empty;
  return v.is_object() ? v.get_object() : empty;
}

}  // namespace

MessageState message_state_from(std::string_view text) {
  if (text == "pending") return MessageState::pending;
  if (text == "delivered") return MessageState::delivered;
  if (text == "read") return MessageState::read;
  if (text == "failed") return MessageState::failed;
  return MessageState::sent;
}

json::object to_json(const User& u) {
  json::object out{{"id", u.id.value}, {"username", u.username}, {"display_name", u.display_name}};
  if (u.bot) out["bot"] = true;  // as the server sends it: there only for a bot
  return out;
}

json::object to_json(const Message& m) {
  json::object out{{"client_msg_id", m.client_msg_id}, {"room_id", m.room_id.value}, {"seq", m.seq},
                   {"id", m.id.value}, {"sender_id", m.sender_id.value}, {"type", m.type},
                   {"text", m.text}, {"created_at", m.created_at}, {"state", to_string(m.state)}};
  if (!m.failure.empty()) out["failure"] = m.failure;
  if (m.failure_code) out["failure_code"] = to_string(*m.failure_code);
  if (m.attachment) out["attachment"] = protocol::to_json(*m.attachment);
  if (!m.system_event.empty()) out["system"] = json::object{{"event", m.system_event}, {"target_id", m.system_target.value}};
  if (m.recipients > 0)
    out["status"] = json::object{{"recipients", m.recipients}, {"delivered", m.delivered_count}, {"read", m.read_count}};
  if (m.reply_to) out["reply_to"] = *m.reply_to;
  if (const auto& p = m.reply_preview) {
    json::object preview{{"seq", p->seq}, {"sender_id", p->sender_id.value}, {"type", p->type}, {"text", p->text}};
    if (p->deleted) preview["deleted"] = true;
    out["reply_preview"] = std::move(preview);
  }
  if (m.relates_to) out["relates_to"] = *m.relates_to;
  if (m.edited_at) out["edited_at"] = *m.edited_at;
  if (m.deleted) out["deleted"] = true;
  if (!m.reactions.empty()) {
    json::array reactions;
    for (const auto& r : m.reactions) reactions.push_back(json::object{{"emoji", r.emoji}, {"count", r.count}, {"mine", r.mine}});
    out["reactions"] = std::move(reactions);
  }
  return out;
}

Message message_from_json(const json::value& value) { return message_from_object(object_of(value)); }

Message message_from_object(const json::object& o) {
  Message m;
  m.client_msg_id = string_of(o, "client_msg_id");
  m.room_id = RoomId{int_of(o, "room_id")};
  m.seq = int_of(o, "seq");
  m.id = MessageId{int_of(o, "id")};
  m.sender_id = UserId{int_of(o, "sender_id")};
  m.type = o.contains("type") ? string_of(o, "type") : "text";
  m.text = string_of(o, "text");
  m.created_at = int_of(o, "created_at");
  m.state = o.contains("state") ? message_state_from(string_of(o, "state")) : MessageState::sent;
  m.failure = string_of(o, "failure");
  if (auto code = string_of(o, "failure_code"); !code.empty()) m.failure_code = error_code_from(code);
  if (const auto* a = o.if_contains("attachment"); a && a->is_object())
    m.attachment = protocol::attachment_from_wire(a->get_object());
  if (const auto* s = o.if_contains("system"); s && s->is_object()) {
    m.system_event = string_of(s->get_object(), "event");
    m.system_target = UserId{int_of(s->get_object(), "target_id")};
  }
  m.reply_to = optional_int(o, "reply_to");
  if (const auto* p = o.if_contains("reply_preview"); p && p->is_object()) {
    const auto& preview = p->get_object();
    m.reply_preview = ReplyPreview{int_of(preview, "seq"), UserId{int_of(preview, "sender_id")}, string_of(preview, "type"),
                                   string_of(preview, "text"), bool_of(preview, "deleted")};
  }
  m.relates_to = optional_int(o, "relates_to");
  m.edited_at = optional_int(o, "edited_at");
  m.deleted = bool_of(o, "deleted");
  if (const auto* list = o.if_contains("reactions"); list && list->is_array())
    for (const auto& r : list->get_array())
      if (const auto* entry = r.if_object())
        m.reactions.push_back(Reaction{string_of(*entry, "emoji"), int_of(*entry, "count"), bool_of(*entry, "mine")});
  return m;
}

json::object to_json(const Room& r) {
  json::object out{{"id", r.id.value},
                   {"kind", r.kind},
                   {"name", r.name},
                   {"role", r.role},
                   {"member_count", r.member_count},
                   {"last_seq", r.last_seq},
                   {"read_seq", r.read_seq},
                   {"unread_count", r.unread_count}};
  if (r.peer) out["peer_id"] = r.peer->value;
  if (r.last_message) out["last_message"] = to_json(*r.last_message);
  return out;
}

Room room_from_json(const json::value& value) { return room_from_object(object_of(value)); }

Room room_from_object(const json::object& o) {
  Room r;
  r.id = RoomId{int_of(o, "id")};
  r.kind = string_of(o, "kind");
  r.name = string_of(o, "name");
  r.role = string_of(o, "role");
  r.member_count = int_of(o, "member_count");
  r.last_seq = int_of(o, "last_seq");
  r.read_seq = int_of(o, "read_seq");
  r.unread_count = int_of(o, "unread_count");
  if (auto peer = optional_int(o, "peer_id")) r.peer = UserId{*peer};
  if (const auto* last = o.if_contains("last_message"); last && last->is_object()) r.last_message = message_from_json(*last);
  return r;
}

json::object to_json(const Member& m) {
  return {{"user_id", m.user_id.value}, {"username", m.username}, {"display_name", m.display_name}, {"role", m.role}};
}

Member member_from_json(const json::value& value) { return member_from_object(object_of(value)); }

Member member_from_object(const json::object& o) {
  return Member{UserId{int_of(o, "user_id")}, string_of(o, "username"), string_of(o, "display_name"), string_of(o, "role")};
}

json::object to_json(const Presence& p) {
  json::object out{{"user_id", p.user_id.value}, {"online", p.online}};
  if (!p.status.empty()) out["status"] = p.status;
  if (p.last_seen_at) out["last_seen_at"] = *p.last_seen_at;
  return out;
}

Presence presence_from_json(const json::value& value) { return presence_from_object(object_of(value)); }

Presence presence_from_object(const json::object& o) {
  return Presence{UserId{int_of(o, "user_id")}, bool_of(o, "online"), string_of(o, "status"), optional_int(o, "last_seen_at")};
}

User user_from_json(const json::value& value) { return user_from_object(object_of(value)); }

User user_from_object(const json::object& o) {
  return User{UserId{int_of(o, "id")}, string_of(o, "username"), string_of(o, "display_name"), bool_of(o, "bot")};
}

}  // namespace parley::client
