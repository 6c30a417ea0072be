#include "protocol/json_codec.hpp"

#include "protocol/fields.hpp"

#include <limits>

namespace parley::protocol {

namespace json = boost::json;

std::optional<std::int64_t> lenient_int(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) {
    const auto u = v->get_uint64();
    return u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? std::optional<std::int64_t>(u)
                                                                                    : std::nullopt;
  }
  if (v->is_double()) {
    // Converting a double outside int64 (1e300) is undefined behaviour: such a number is no id
    // or count, so it reads as absent.
    const double d = v->get_double();
    if (d > -9.2e18 && d < 9.2e18) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::string lenient_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object to_json(const domain::User& user) {
  json::object out{{"id", user.id.value},
                   {"username", user.username},
                   {"display_name", user.display_name},
                   {"created_at", user.created_at_ms}};
  // Only bots carry the field: every other user reads as before.
  if (user.bot) out["bot"] = true;
  return out;
}

json::object to_json(const domain::Me& me) {
  json::object out = to_json(me.user);
  out["read_receipts"] = domain::to_string(me.settings.read_receipts);
  out["push_text"] = domain::to_string(me.settings.push_text);
  return out;
}

json::object to_json(const domain::PushTarget& t) {
  json::object out{{"id", t.id}, {"kind", domain::to_string(t.kind)}, {"created_at", t.created_at_ms},
                   {"updated_at", t.updated_at_ms}};
  // The browser's keys are written, never read back: only the push service needs them.
  if (t.kind == domain::PushKind::http) {
    out["app_id"] = t.app_id;
    out["pushkey"] = t.pushkey;
    out["url"] = t.url;
  } else {
    out["endpoint"] = t.pushkey;
  }
  return out;
}

json::object to_json(const domain::Message& m) {
  json::object out{{"id", m.id.value},       {"room_id", m.room_id.value}, {"seq", m.seq},
                   {"sender_id", m.sender_id.value}, {"type", domain::to_string(m.type)},
                   {"text", m.text},         {"created_at", m.created_at_ms}};
  if (!m.client_msg_id.empty()) out["client_msg_id"] = m.client_msg_id;
  if (m.attachment) out["attachment"] = to_json(*m.attachment);
  if (m.system) {
    json::object sys{{"event", domain::to_string(m.system->event)}};
    if (m.system->target.valid()) sys["target_id"] = m.system->target.value;
    out["system"] = std::move(sys);
  }
  if (m.reply_to) out["reply_to"] = *m.reply_to;
  if (m.reply_preview) {
    const auto& p = *m.reply_preview;
    json::object preview{{"seq", p.seq}, {"sender_id", p.sender_id.value}, {"type", domain::to_string(p.type)},
                         {"text", p.text}};
    if (p.deleted) preview["deleted"] = true;
    out["reply_preview"] = std::move(preview);
  }
  if (m.relates_to) out["relates_to"] = *m.relates_to;
  if (m.edited_at_ms) out["edited_at"] = *m.edited_at_ms;
  if (m.deleted_at_ms) {
    out["deleted"] = true;
    out["deleted_at"] = *m.deleted_at_ms;
  }
  if (!m.reactions.empty()) {
    json::array reactions;
    for (const auto& r : m.reactions) reactions.push_back(json::object{{"emoji", r.emoji}, {"count", r.count}, {"mine", r.mine}});
    out["reactions"] = std::move(reactions);
  }
  return out;
}

json::object to_json(const domain::Message& message, const domain::MessageStatus* status) {
  json::object out = to_json(message);
  if (status) out["status"] = to_json(*status);
  return out;
}

json::object to_json(const domain::MessageStatus& status) {
  return {{"state", domain::to_string(status.state)},
          {"recipients", status.recipients},
          {"delivered", status.delivered},
          {"read", status.read}};
}

json::object to_json(const domain::PresenceView& p) {
  json::object out{{"user_id", p.user.value}, {"online", p.online}};
  if (p.online || p.is_self) out["status"] = domain::to_string(p.status);
  if (p.last_seen_at) out["last_seen_at"] = *p.last_seen_at;
  return out;
}

json::object room_fields(const domain::Room& room, std::int64_t member_count) {
  return {{"id", room.id.value},
          {"kind", domain::to_string(room.kind)},
          {"name", room.name},
          {"created_by", room.created_by.value},
          {"created_at", room.created_at_ms},
          {"last_seq", room.last_seq},
          {"member_count", member_count}};
}

json::object to_json(const domain::RoomSummary& s) {
  json::object out = room_fields(s.room, s.member_count);
  out["role"] = domain::to_string(s.me.role);
  out["delivered_seq"] = s.me.delivered_seq;
  out["read_seq"] = s.me.read_seq;
  out["unread_count"] = s.unread_count;
  out["muted"] = s.me.muted;
  if (s.peer) out["peer_id"] = s.peer->value;
  if (s.last_message)
    out["last_message"] = to_json(*s.last_message, s.last_message_status ? &*s.last_message_status : nullptr);
  return out;
}

json::object to_json(const domain::Member& member, const domain::User* profile) {
  json::object out{{"user_id", member.user_id.value},
                   {"role", domain::to_string(member.role)},
                   {"joined_at", member.joined_at_ms}};
  if (profile) {
    out["username"] = profile->username;
    out["display_name"] = profile->display_name;
  }
  return out;
}

json::object to_json(const domain::Upload& u) {
  json::object out{{"upload_id", u.id},   {"name", u.name},     {"mime_type", u.mime_type},
                   {"size", u.size_bytes}, {"sha256", u.sha256}, {"created_at", u.created_at_ms}};
  if (u.width) out["width"] = *u.width;
  if (u.height) out["height"] = *u.height;
  if (u.duration_ms) out["duration_ms"] = *u.duration_ms;
  return out;
}

json::object to_json(const domain::Attachment& a) {
  json::object att{{"name", a.name}, {"mime_type", a.mime_type}, {"size", a.size}};
  if (!a.upload_id.empty()) att["upload_id"] = a.upload_id;
  if (a.width) att["width"] = *a.width;
  if (a.height) att["height"] = *a.height;
  if (a.duration_ms) att["duration_ms"] = *a.duration_ms;
  return att;
}

domain::Attachment attachment_from_wire(const json::object& o) {
  domain::Attachment a;
  a.upload_id = lenient_string(o, "upload_id");
  a.name = lenient_string(o, "name");
  a.mime_type = lenient_string(o, "mime_type");
  a.size = lenient_int(o, "size").value_or(0);
  // A dimension outside int32 is no dimension: it reads as unknown rather than wrapping.
  auto dimension = [&](std::string_view key) -> std::optional<std::int32_t> {
    auto v = lenient_int(o, key);
    if (!v || *v < 0 || *v > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
    return static_cast<std::int32_t>(*v);
  };
  a.width = dimension("width");
  a.height = dimension("height");
  a.duration_ms = lenient_int(o, "duration_ms");
  return a;
}

Result<domain::Attachment> attachment_from_json(const json::value& value) {
  const auto* obj = value.if_object();
  if (!obj) return fail(ErrorCode::invalid_payload, "attachment must be an object");
  Fields f(*obj, "attachment.");
  domain::Attachment a;
  auto upload = f.optional_string("upload_id");
  if (!upload) return std::unexpected(upload.error());
  auto width = f.optional_int("width");
  if (!width) return std::unexpected(width.error());
  auto height = f.optional_int("height");
  if (!height) return std::unexpected(height.error());
  auto duration = f.optional_int("duration_ms");
  if (!duration) return std::unexpected(duration.error());
  constexpr std::int64_t kMaxDimension = 1 << 20;
  if ((*width && (**width < 1 || **width > kMaxDimension)) || (*height && (**height < 1 || **height > kMaxDimension)))
    return fail(ErrorCode::invalid_payload, "attachment.width and attachment.height must be 1 to 1048576");
  a.upload_id = upload->value_or("");
  if (*width) a.width = static_cast<std::int32_t>(**width);
  if (*height) a.height = static_cast<std::int32_t>(**height);
  a.duration_ms = *duration;
  // With an upload, the server takes name, type and size from it: the client may leave them out.
  if (!a.upload_id.empty()) return a;
  auto name = f.required_string("name");
  if (!name) return std::unexpected(name.error());
  auto mime = f.required_string("mime_type");
  if (!mime) return std::unexpected(mime.error());
  auto size = f.required_int("size");
  if (!size) return std::unexpected(size.error());
  a.name = std::move(*name);
  a.mime_type = std::move(*mime);
  a.size = *size;
  return a;
}

}  // namespace parley::protocol
