#include "client/reply_fields.hpp"

#include "client/json_mapping.hpp"

namespace parley::client {

namespace json = boost::json;

Error malformed_reply(std::string_view what) {
  return Error{ErrorCode::invalid_payload, "the server's answer is not what the protocol says: " + std::string(what)};
}

namespace {

Result<const json::value*> field(const json::value& v, std::string_view key) {
  const auto* o = v.if_object();
  if (!o) return std::unexpected(malformed_reply("expected an object holding \"" + std::string(key) + "\""));
  const auto* found = o->if_contains(key);
  if (!found) return std::unexpected(malformed_reply("\"" + std::string(key) + "\" is missing"));
  return found;
}

Error wrong_kind(std::string_view key, std::string_view kind) {
  return malformed_reply("\"" + std::string(key) + "\" is not " + std::string(kind));
}

}  // namespace

Result<const json::object*> object_in(const json::value& v) {
  if (const auto* o = v.if_object()) return o;
  return std::unexpected(malformed_reply("expected an object"));
}

Result<const json::object*> object_field(const json::value& v, std::string_view key) {
  auto f = field(v, key);
  if (!f) return std::unexpected(f.error());
  if (const auto* o = (*f)->if_object()) return o;
  return std::unexpected(wrong_kind(key, "an object"));
}

Result<const json::array*> array_field(const json::value& v, std::string_view key) {
  auto f = field(v, key);
  if (!f) return std::unexpected(f.error());
  if (const auto* a = (*f)->if_array()) return a;
  return std::unexpected(wrong_kind(key, "a list"));
}

Result<std::int64_t> int_field(const json::value& v, std::string_view key) {
  auto f = field(v, key);
  if (!f) return std::unexpected(f.error());
  auto n = int_in(**f);
  if (!n) return std::unexpected(wrong_kind(key, "an integer"));
  return n;
}

Result<std::string> string_field(const json::value& v, std::string_view key) {
  auto f = field(v, key);
  if (!f) return std::unexpected(f.error());
  if (const auto* s = (*f)->if_string()) return std::string(*s);
  return std::unexpected(wrong_kind(key, "a string"));
}

Result<bool> bool_field(const json::value& v, std::string_view key) {
  auto f = field(v, key);
  if (!f) return std::unexpected(f.error());
  if (const auto* b = (*f)->if_bool()) return *b;
  return std::unexpected(wrong_kind(key, "true or false"));
}

Result<std::int64_t> int_in(const json::value& v) {
  if (const auto* i = v.if_int64()) return *i;
  // An unsigned beyond int64 is no id, seq or count the server hands out.
  if (const auto* u = v.if_uint64(); u && *u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(*u);
  return std::unexpected(malformed_reply("expected an integer"));
}

Result<Message> committed_message(const json::object& o) {
  Message m = message_from_object(o);
  if (m.room_id.value <= 0 || m.seq <= 0) return std::unexpected(malformed_reply("a message without a room or seq"));
  return m;
}

namespace {

// The objects of the list `key`, each read by `read` (which may refuse one).
template <class T, class Read>
Result<std::vector<T>> list_of(const json::value& answer, std::string_view key, Read read) {
  auto list = array_field(answer, key);
  if (!list) return std::unexpected(list.error());
  std::vector<T> out;
  for (const auto& item : **list) {
    const auto* o = item.if_object();
    if (!o) return std::unexpected(malformed_reply("an element of \"" + std::string(key) + "\" is not an object"));
    Result<T> one = read(*o);
    if (!one) return std::unexpected(one.error());
    out.push_back(std::move(*one));
  }
  return out;
}

}  // namespace

Result<std::vector<Member>> members_of(const json::value& answer) {
  return list_of<Member>(answer, "members", [](const json::object& o) -> Result<Member> { return member_from_object(o); });
}

Result<std::vector<Message>> messages_of(const json::value& answer) {
  return list_of<Message>(answer, "messages", committed_message);
}

Seq last_seq_of(const json::value& answer) {
  const auto* o = answer.if_object();
  const auto* v = o ? o->if_contains("last_seq") : nullptr;
  return v && v->is_int64() && v->get_int64() > 0 ? v->get_int64() : 0;
}

}  // namespace parley::client
