#include "store/message_sql.hpp"

#include "store/row_mapping.hpp"

namespace parley::store {

MessageValues message_values(const domain::Message& m, Seq seq) {
  std::optional<std::string_view> client_msg_id;
  if (!m.client_msg_id.empty()) client_msg_id = m.client_msg_id;
  const domain::Attachment* a = m.attachment ? &*m.attachment : nullptr;
  auto text_of = [a](std::string domain::Attachment::*field) -> std::optional<std::string_view> {
    if (!a) return std::nullopt;
    return std::string_view(a->*field);
  };
  auto int_of = [](std::optional<std::int32_t> v) -> std::optional<std::int64_t> {
    if (!v) return std::nullopt;
    return *v;
  };
  std::optional<std::string_view> sys_event;
  std::optional<UserId> sys_target;
  if (m.system) {
    sys_event = domain::to_string(m.system->event);
    if (m.system->target.valid()) sys_target = m.system->target;
  }
  return {m.room_id,
          seq,
          m.sender_id,
          client_msg_id,
          domain::to_string(m.type),
          m.text,
          text_of(&domain::Attachment::upload_id),
          text_of(&domain::Attachment::name),
          text_of(&domain::Attachment::mime_type),
          a ? std::optional<std::int64_t>(a->size) : std::nullopt,
          int_of(a ? a->width : std::nullopt),
          int_of(a ? a->height : std::nullopt),
          a ? a->duration_ms : std::nullopt,
          sys_event,
          sys_target,
          m.created_at_ms,
          m.reply_to,
          m.relates_to,
          m.edited_at_ms,
          m.deleted_at_ms};
}

const std::string& message_value_placeholders() {
  static const std::string list = [] {
    std::string out;
    for (std::size_t i = 1; i <= std::tuple_size_v<MessageValues>; ++i) {
      if (i > 1) out += ", ";
      out += '$' + std::to_string(i);
    }
    return out;
  }();
  return list;
}

const std::string& select_message_by_client_id_sql() {
  static const std::string sql =
      "SELECT " + message_columns() + " FROM messages WHERE sender_id = $1 AND client_msg_id = $2";
  return sql;
}

const std::string& select_messages_before_sql() {
  static const std::string sql = "SELECT * FROM (SELECT " + message_columns() +
                                 " FROM messages WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) AS page"
                                 " ORDER BY seq";
  return sql;
}

const std::string& select_messages_after_sql() {
  static const std::string sql =
      "SELECT " + message_columns() + " FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
  return sql;
}

std::string counted_message_condition(std::string_view alias) {
  std::string condition;
  for (auto type : {domain::MessageType::text, domain::MessageType::image, domain::MessageType::file,
                    domain::MessageType::audio, domain::MessageType::video}) {
    condition += condition.empty() ? "(" : " OR ";
    condition += std::string(alias) + ".type = '" + std::string(domain::to_string(type)) + "'";
  }
  return condition + ")";
}

std::string join_last_shown_message(std::string_view alias, std::string_view room) {
  const std::string a(alias);
  const std::string r(room);
  return " LEFT JOIN messages " + a + " ON " + a + ".room_id = " + r + ".id AND " + a +
         ".seq = (SELECT s.seq FROM messages s WHERE s.room_id = " + r + ".id AND s.seq <= " + r +
         ".last_seq AND (" + counted_message_condition("s") + " OR s.type = '" +
         std::string(domain::to_string(domain::MessageType::system)) + "') ORDER BY s.seq DESC LIMIT 1)";
}


}  // namespace parley::store
