#include "server/gateway/operations.hpp"

#include <array>
#include <unordered_map>
#include <utility>

#include "protocol/fields.hpp"
#include "protocol/json_codec.hpp"
#include "server/gateway/operation_encoding.hpp"
#include "server/gateway/operation_params.hpp"
#include "server/gateway/server_operations.hpp"

namespace parley::gateway {

namespace json = boost::json;
using protocol::Fields;
using service::Caller;
using service::Services;

namespace {

using Handler = OperationHandler;

json::object token_grant(const service::TokenGrant& g) {
  return {{"user", protocol::to_json(g.user)},
          {"access_token", g.access_token},
          {"refresh_token", g.refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", g.expires_in_s}};
}

json::object summaries(const std::vector<domain::RoomSummary>& rooms) {
  json::array list;
  for (const auto& r : rooms) list.push_back(protocol::to_json(r));
  return {{"rooms", std::move(list)}};
}

void op_register(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(username, f.required_string("username"));
  PARLEY_FIELD(password, f.required_string("password"));
  PARLEY_FIELD(display, f.optional_string("display_name"));
  s.accounts.register_user(*username, *password, *display, answer<service::TokenGrant>(reply, token_grant));
}

void op_login(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(username, f.required_string("username"));
  PARLEY_FIELD(password, f.required_string("password"));
  s.accounts.login(*username, *password, answer<service::TokenGrant>(reply, token_grant));
}

void op_refresh(const Services& s, const Caller&, const json::object& p, Reply reply) {
  PARLEY_FIELD(token, Fields(p).required_string("refresh_token"));
  s.accounts.refresh(*token, answer<service::TokenGrant>(reply, token_grant));
}

void op_logout(const Services& s, const Caller&, const json::object& p, Reply reply) {
  PARLEY_FIELD(token, Fields(p).required_string("refresh_token"));
  s.accounts.logout(*token, answer_empty<std::monostate>(reply));
}

void op_password(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(current, f.required_string("current_password"));
  PARLEY_FIELD(next, f.required_string("new_password"));
  s.accounts.change_password(c, *current, *next, answer_empty<std::monostate>(reply));
}

void op_ping(const Services&, const Caller&, const json::object&, Reply reply) { reply(json::value(json::object{})); }

// The key a browser subscribes with (PushManager.subscribe's applicationServerKey): the same for
// every caller, since it is the server's, not the user's.
void op_push_webpush_key(const Services& s, const Caller&, const json::object&, Reply reply) {
  reply(json::value(json::object{{"public_key", s.web_push.public_key_base64url()}}));
}

json::object me_object(const domain::Me& me) { return protocol::to_json(me); }

void op_me(const Services& s, const Caller& c, const json::object&, Reply reply) {
  s.settings.me(c, answer<domain::Me>(reply, me_object));
}

// Each setting is optional, and at least one is required.
void op_me_update(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(receipts_text, f.optional_string("read_receipts"));
  PARLEY_FIELD(push_text, f.optional_string("push_text"));
  service::SettingsService::Change change;
  if (*receipts_text) {
    change.read_receipts = domain::read_receipts_from(**receipts_text);
    if (!change.read_receipts)
      return reply(fail(ErrorCode::invalid_payload, "read_receipts must be \"everyone\" or \"private\""));
  }
  if (*push_text) {
    change.push_text = domain::push_text_from(**push_text);
    if (!change.push_text) return reply(fail(ErrorCode::invalid_payload, "push_text must be \"shown\" or \"hidden\""));
  }
  if (!change.read_receipts && !change.push_text)
    return reply(fail(ErrorCode::invalid_payload, "read_receipts or push_text is required"));
  s.settings.update(c, change, answer<domain::Me>(reply, me_object));
}

void op_users_get(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(username, Fields(p).required_string("username"));
  s.accounts.find_user(c, *username, answer<domain::User>(reply, [](const domain::User& u) { return protocol::to_json(u); }));
}

void op_rooms_list(const Services& s, const Caller& c, const json::object&, Reply reply) {
  s.rooms.list(c, answer<std::vector<domain::RoomSummary>>(reply, summaries));
}

void op_rooms_get(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(room, room_field(Fields(p)));
  s.rooms.get(c, *room, answer<domain::RoomSummary>(reply, [](const auto& r) { return protocol::to_json(r); }));
}

void op_rooms_create(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(name, f.required_string("name"));
  PARLEY_FIELD(ids, f.optional_int_list("members"));
  std::vector<UserId> members;
  for (auto id : *ids) members.push_back(UserId{id});
  s.rooms.create_group(c, *name, std::move(members),
                       answer<domain::RoomSummary>(reply, [](const auto& r) { return protocol::to_json(r); }));
}

void op_rooms_direct(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(id, f.optional_int("user_id"));
  PARLEY_FIELD(username, f.optional_string("username"));
  if (!*id && !*username) return reply(fail(ErrorCode::invalid_payload, "user_id or username is required"));
  service::Peer peer = *id ? service::Peer{UserId{**id}} : service::Peer{**username};
  s.rooms.direct(c, std::move(peer), answer<service::DirectRoom>(reply, [](const service::DirectRoom& d) {
                   return json::object{{"room", protocol::to_json(d.room)}, {"created", d.created}};
                 }));
}

void op_rooms_rename(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(name, f.required_string("name"));
  s.rooms.rename(c, *room, *name, answer<domain::RoomSummary>(reply, [](const auto& r) { return protocol::to_json(r); }));
}

void op_rooms_leave(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(room, room_field(Fields(p)));
  s.members.leave(c, *room, answer_empty<std::monostate>(reply));
}

void op_members_list(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(room, room_field(Fields(p)));
  s.members.list(c, *room, answer<std::vector<service::MemberView>>(reply, [](const auto& views) {
                   json::array list;
                   for (const auto& v : views) list.push_back(member_view(v));
                   return json::object{{"members", std::move(list)}};
                 }));
}

void op_members_add(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(user, user_field(f));
  PARLEY_FIELD(role, role_field(f, false));
  s.members.add(c, *room, *user, *role, answer<service::MemberView>(reply, member_view));
}

void op_members_remove(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(user, user_field(f));
  s.members.remove(c, *room, *user, answer_empty<std::monostate>(reply));
}

void op_members_role(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(user, user_field(f));
  PARLEY_FIELD(role, role_field(f, true));
  s.members.set_role(c, *room, *user, *role, answer<service::MemberView>(reply, member_view));
}

void op_messages_send(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(message, outgoing_message(p));
  s.messages.send(c, std::move(*message), answer<service::SendResult>(reply, send_result));
}

void op_messages_history(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(before, f.optional_int("before"));
  PARLEY_FIELD(limit, f.optional_int("limit"));
  s.messages.history(c, *room, before->value_or(0), *limit,
                     answer<service::HistoryPage>(reply, history_page));
}

void op_messages_search(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(request, search_request(p));
  s.messages.search(c, std::move(*request), answer<service::SearchPage>(reply, search_page));
}

json::object receipt_state(const service::ReceiptState& r) {
  return {{"room_id", r.me.room_id.value},
          {"delivered_seq", r.me.delivered_seq},
          {"read_seq", r.me.read_seq},
          {"unread_count", r.unread_count}};
}

json::array user_ids(const std::vector<UserId>& ids) {
  json::array out;
  for (UserId id : ids) out.push_back(id.value);
  return out;
}

void op_receipts_mark(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(delivered, f.optional_int("delivered_seq"));
  PARLEY_FIELD(read, f.optional_int("read_seq"));
  s.receipts.mark(c, *room, *delivered, *read, answer<service::ReceiptState>(reply, receipt_state));
}

void op_messages_receipts(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(seq, f.required_int("seq"));
  s.receipts.receipts(c, *room, *seq, answer<domain::MessageReceipts>(reply, [](const domain::MessageReceipts& r) {
                        return json::object{{"status", protocol::to_json(r.status)},
                                            {"delivered_to", user_ids(r.delivered_to)},
                                            {"read_by", user_ids(r.read_by)}};
                      }));
}

void op_messages_reactions(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(seq, f.required_int("seq"));
  s.messages.reactions(c, *room, *seq, answer<std::vector<domain::Reaction>>(reply, [](const auto& reactions) {
                         // One entry per emoji, in the order first used; its users in the order they reacted.
                         json::array out;
                         for (const auto& r : reactions) {
                           if (out.empty() || out.back().as_object().at("emoji").as_string() != r.emoji)
                             out.push_back(json::object{{"emoji", r.emoji}, {"user_ids", json::array{}}});
                           out.back().as_object().at("user_ids").as_array().push_back(r.user.value);
                         }
                         return json::object{{"reactions", std::move(out)}};
                       }));
}

void op_messages_versions(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(seq, f.required_int("seq"));
  s.messages.versions(c, *room, *seq, answer<std::vector<domain::MessageVersion>>(reply, [](const auto& versions) {
                        json::array out;
                        for (const auto& v : versions)
                          out.push_back(json::object{{"version", v.version}, {"text", v.text}, {"written_at", v.written_at_ms}});
                        return json::object{{"versions", std::move(out)}};
                      }));
}

void op_typing_start(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(room, room_field(Fields(p)));
  s.typing.start(c, *room, answer_empty<std::monostate>(reply));
}

void op_typing_stop(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(room, room_field(Fields(p)));
  s.typing.stop(c, *room, answer_empty<std::monostate>(reply));
}

void op_presence_set(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(text, Fields(p).required_string("status"));
  auto status = domain::presence_status_from(*text);
  if (!status) return reply(fail(ErrorCode::invalid_payload, "status must be one of available, away, busy, invisible"));
  s.presence.set_status(c, *status, answer<domain::PresenceView>(reply, [](const domain::PresenceView& v) {
                          return protocol::to_json(v);
                        }));
}

// http: url, app_id, pushkey; webpush: endpoint, p256dh, auth (a browser's PushSubscription,
// its keys as the browser gives them). The domain checks each (validate_push_target).
Result<domain::PushTarget> push_target(const json::object& p) {
  Fields f(p);
  PARLEY_TRY(kind_text, f.required_string("kind"));
  auto kind = domain::push_kind_from(kind_text);
  if (!kind) return fail(ErrorCode::invalid_payload, "kind must be \"http\" or \"webpush\"");
  domain::PushTarget target{.kind = *kind};
  const bool http = *kind == domain::PushKind::http;
  const std::array<std::pair<std::string_view, std::string*>, 3> fields =
      http ? std::array<std::pair<std::string_view, std::string*>, 3>{{{"url", &target.url},
                                                                       {"app_id", &target.app_id},
                                                                       {"pushkey", &target.pushkey}}}
           : std::array<std::pair<std::string_view, std::string*>, 3>{{{"endpoint", &target.pushkey},
                                                                       {"p256dh", &target.p256dh},
                                                                       {"auth", &target.auth}}};
  for (const auto& [name, into] : fields) {
    PARLEY_TRY(value, f.required_string(name));
    *into = std::move(value);
  }
  return target;
}

void op_push_register(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(target, push_target(p));
  s.push_targets.register_target(c, std::move(*target), answer<domain::PushTarget>(reply, [](const auto& t) {
                                   return protocol::to_json(t);
                                 }));
}

void op_push_list(const Services& s, const Caller& c, const json::object&, Reply reply) {
  s.push_targets.list(c, answer<std::vector<domain::PushTarget>>(reply, [](const auto& targets) {
                        json::array list;
                        for (const auto& t : targets) list.push_back(protocol::to_json(t));
                        return json::object{{"targets", std::move(list)}};
                      }));
}

void op_push_remove(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(id, Fields(p).required_int("target_id"));
  s.push_targets.remove(c, *id, answer_empty<std::monostate>(reply));
}

void op_rooms_mute(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(muted, f.required_bool("muted"));
  s.push_targets.set_muted(c, *room, *muted, answer<service::RoomMute>(reply, [](const service::RoomMute& m) {
                             return json::object{{"room_id", m.room.value}, {"muted", m.muted}};
                           }));
}

json::object watermarks(const domain::Member& m) {
  return {{"user_id", m.user_id.value}, {"delivered_seq", m.delivered_seq}, {"read_seq", m.read_seq}};
}

void op_sync(const Services& s, const Caller& c, const json::object& p, Reply reply) {
  PARLEY_FIELD(request, sync_request(p));
  s.sync.sync(c, std::move(*request), answer<service::SyncResult>(reply, [](const service::SyncResult& r) {
                json::array rooms, catch_up, left;
                for (const auto& room : r.rooms) rooms.push_back(protocol::to_json(room));
                for (const auto& room : r.catch_up) {
                  json::array messages, members;
                  for (const auto& m : room.messages) messages.push_back(protocol::to_json(m));
                  for (const auto& m : room.members) members.push_back(watermarks(m));
                  catch_up.push_back(json::object{{"room_id", room.room.value},
                                                  {"messages", std::move(messages)},
                                                  {"has_more", room.has_more},
                                                  {"members", std::move(members)}});
                }
                for (RoomId id : r.left) left.push_back(id.value);
                return json::object{{"rooms", std::move(rooms)}, {"catch_up", std::move(catch_up)}, {"left", std::move(left)}};
              }));
}

struct Entry {
  Handler handler;
  Operations::Access access;
};

const std::unordered_map<std::string_view, Entry>& table() {
  using A = Operations::Access;
  static const std::unordered_map<std::string_view, Entry> ops = [] {
    std::unordered_map<std::string_view, Entry> ops{
      {"auth.register", {op_register, A::public_only}},
      {"auth.login", {op_login, A::public_only}},
      {"auth.refresh", {op_refresh, A::public_only}},
      {"auth.logout", {op_logout, A::public_only}},
      {"auth.password", {op_password, A::authenticated}},
      {"ping", {op_ping, A::authenticated}},
      {"me", {op_me, A::authenticated}},
      {"me.update", {op_me_update, A::authenticated}},
      {"users.get", {op_users_get, A::authenticated}},
      {"rooms.list", {op_rooms_list, A::authenticated}},
      {"rooms.get", {op_rooms_get, A::authenticated}},
      {"rooms.create", {op_rooms_create, A::authenticated}},
      {"rooms.direct", {op_rooms_direct, A::authenticated}},
      {"rooms.rename", {op_rooms_rename, A::authenticated}},
      {"rooms.leave", {op_rooms_leave, A::authenticated}},
      {"members.list", {op_members_list, A::authenticated}},
      {"members.add", {op_members_add, A::authenticated}},
      {"members.remove", {op_members_remove, A::authenticated}},
      {"members.role", {op_members_role, A::authenticated}},
      {"messages.send", {op_messages_send, A::authenticated}},
      {"messages.history", {op_messages_history, A::authenticated}},
      {"messages.search", {op_messages_search, A::authenticated}},
      {"messages.receipts", {op_messages_receipts, A::authenticated}},
      {"messages.reactions", {op_messages_reactions, A::authenticated}},
      {"messages.versions", {op_messages_versions, A::authenticated}},
      {"receipts.mark", {op_receipts_mark, A::authenticated}},
      {"typing.start", {op_typing_start, A::authenticated}},
      {"typing.stop", {op_typing_stop, A::authenticated}},
      {"presence.set", {op_presence_set, A::authenticated}},
      {"sync", {op_sync, A::authenticated}},
      {"push.register", {op_push_register, A::authenticated}},
      {"push.list", {op_push_list, A::authenticated}},
      {"push.remove", {op_push_remove, A::authenticated}},
      {"rooms.mute", {op_rooms_mute, A::authenticated}},
      {"push.webpush_key", {op_push_webpush_key, A::authenticated}},
    };
    // The server API's (server_operations.cpp): reached over HTTP with an API key only.
    for (const auto& op : server_operations()) ops.emplace(op.name, Entry{op.handler, A::server});
    return ops;
  }();
  return ops;
}

}  // namespace

bool Operations::has(std::string_view op, Access access) const {
  auto it = table().find(op);
  return it != table().end() && it->second.access == access;
}

void Operations::call(std::string_view op, const Caller& caller, const json::object& params, Reply reply) const {
  auto it = table().find(op);
  if (it == table().end()) return reply(fail(ErrorCode::unknown_op, "unknown op \"" + std::string(op) + "\""));
  it->second.handler(services_, caller, params, std::move(reply));
}

}  // namespace parley::gateway
