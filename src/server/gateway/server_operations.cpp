#include "server/gateway/server_operations.hpp"

#include <array>

#include "protocol/delivery_json.hpp"
#include "protocol/json_codec.hpp"
#include "server/gateway/operation_encoding.hpp"
#include "server/gateway/operation_params.hpp"

namespace parley::gateway {

namespace json = boost::json;
using protocol::Fields;
using service::Caller;
using service::Services;

namespace {

// The user as the app's backend sees them: with the id its identity provider gave them.
json::object backend_user(const domain::User& user) {
  json::object out = protocol::to_json(user);
  if (!user.external_id.empty()) out["external_id"] = user.external_id;
  return out;
}

// Someone the request names, acting: the rules apply as to them.
Caller acting(UserId user) { return Caller{.user = user}; }

Result<bool> optional_bool(const json::object& p, std::string_view name) {
  const auto* value = p.if_contains(name);
  if (!value || value->is_null()) return false;
  if (!value->is_bool()) return fail(ErrorCode::invalid_payload, std::string(name) + " must be true or false");
  return value->get_bool();
}

void op_users_upsert(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(external_id, f.required_string("external_id"));
  PARLEY_FIELD(username, f.optional_string("username"));
  PARLEY_FIELD(display_name, f.optional_string("display_name"));
  PARLEY_FIELD(bot, optional_bool(p, "bot"));
  service::AppUser user{.external_id = *external_id,
                        .username = username->value_or(*external_id),
                        .display_name = display_name->value_or(""),
                        .bot = *bot};
  s.app_users.upsert(std::move(user), answer<service::UpsertedUser>(reply, [](const service::UpsertedUser& u) {
                       return json::object{{"user", backend_user(u.user)}, {"created", u.created}};
                     }));
}

void op_users_revoke(const Services& s, const Caller&, const json::object& p, Reply reply) {
  PARLEY_FIELD(user, user_field(Fields(p)));
  s.accounts.end_every_login(*user, answer_empty<std::monostate>(reply));
}

void op_presence(const Services& s, const Caller&, const json::object& p, Reply reply) {
  PARLEY_FIELD(ids, user_id_list(p));
  s.presence.seen(std::move(*ids), answer<std::vector<domain::PresenceView>>(reply, [](const auto& views) {
                    json::array list;
                    for (const auto& v : views) list.push_back(protocol::to_json(v));
                    return json::object{{"presence", std::move(list)}};
                  }));
}

void op_rooms_direct(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(user, user_field(f));
  PARLEY_FIELD(peer, user_field(f, "peer_id"));
  s.rooms.direct(acting(*user), service::Peer{*peer}, answer<service::DirectRoom>(reply, [](const service::DirectRoom& d) {
                   return json::object{{"room", protocol::to_json(d.room)}, {"created", d.created}};
                 }));
}

void op_rooms_create(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(name, f.required_string("name"));
  PARLEY_FIELD(creator, user_field(f, "creator_id"));
  PARLEY_FIELD(members, group_members(p));
  std::vector<UserId> ids;
  std::vector<UserId> admins;
  for (const auto& m : *members) {
    if (m.user == *creator) continue;  // the creator is an admin already
    ids.push_back(m.user);
    if (m.role == domain::Role::admin) admins.push_back(m.user);
  }
  // The answer is the room with its members, as the group was made.
  s.rooms.create_group(
      acting(*creator), *name, std::move(ids),
      [members_service = &s.members, by = acting(*creator), reply](Result<domain::RoomSummary> room) {
        if (!room) return reply(std::unexpected(room.error()));
        members_service->list(by, room->room.id, [room = protocol::to_json(*room), reply](Result<std::vector<service::MemberView>> views) {
          if (!views) return reply(std::unexpected(views.error()));
          json::array list;
          for (const auto& v : *views) list.push_back(member_view(v));
          reply(json::value(json::object{{"room", room}, {"members", std::move(list)}}));
        });
      },
      std::move(admins));
}

void op_members_add(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(by, user_field(f, "as_user_id"));
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(user, user_field(f));
  PARLEY_FIELD(role, role_field(f, false));
  s.members.add(acting(*by), *room, *user, *role, answer<service::MemberView>(reply, member_view));
}

void op_members_remove(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(by, user_field(f, "as_user_id"));
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(user, user_field(f));
  s.members.remove(acting(*by), *room, *user, answer_empty<std::monostate>(reply));
}

void op_members_role(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(by, user_field(f, "as_user_id"));
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(user, user_field(f));
  PARLEY_FIELD(role, role_field(f, true));
  s.members.set_role(acting(*by), *room, *user, *role, answer<service::MemberView>(reply, member_view));
}

void op_messages_send(const Services& s, const Caller&, const json::object& p, Reply reply) {
  PARLEY_FIELD(sender, user_field(Fields(p), "sender_id"));
  PARLEY_FIELD(message, outgoing_message(p));
  s.messages.send(acting(*sender), std::move(*message), answer<service::SendResult>(reply, send_result));
}

void op_messages_history(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(reader, user_field(f, "as_user_id"));
  PARLEY_FIELD(room, room_field(f));
  PARLEY_FIELD(before, f.optional_int("before"));
  PARLEY_FIELD(limit, f.optional_int("limit"));
  s.messages.history(acting(*reader), *room, before->value_or(0), *limit,
                     answer<service::HistoryPage>(reply, history_page));
}

// The search `as_user_id` would make (messages.search): only the rooms that user is in.
void op_messages_search(const Services& s, const Caller&, const json::object& p, Reply reply) {
  PARLEY_FIELD(reader, user_field(Fields(p), "as_user_id"));
  PARLEY_FIELD(request, search_request(p));
  s.messages.search(acting(*reader), std::move(*request), answer<service::SearchPage>(reply, search_page));
}

void op_webhooks_deliveries(const Services& s, const Caller&, const json::object& p, Reply reply) {
  Fields f(p);
  PARLEY_FIELD(before, f.optional_int("before"));
  PARLEY_FIELD(limit, f.optional_int("limit"));
  if (*limit && (**limit < 1 || **limit > 200)) {
    return reply(fail(ErrorCode::invalid_payload, "limit must be between 1 and 200"));
  }
  s.webhook_deliveries.list(before->value_or(0), static_cast<int>(limit->value_or(0)),
                            answer<service::DeliveryPage>(reply, [](const service::DeliveryPage& page) {
                              json::array deliveries;
                              for (const auto& delivery : page.deliveries) deliveries.push_back(protocol::to_json(delivery));
                              return json::object{{"deliveries", std::move(deliveries)},
                                                  {"has_more", page.has_more},
                                                  {"next_before", page.next_before}};
                            }));
}

// The delivery's id comes from the path: digits arrive as a number, anything else as a string.
void op_webhooks_redeliver(const Services& s, const Caller&, const json::object& p, Reply reply) {
  const auto* id = p.if_contains("delivery_id");
  std::string delivery_id;
  if (id && id->is_string()) delivery_id = std::string(id->get_string());
  if (id && id->is_int64()) delivery_id = std::to_string(id->get_int64());
  if (delivery_id.empty()) return reply(fail(ErrorCode::invalid_payload, "delivery_id is required"));
  s.webhook_deliveries.redeliver(std::move(delivery_id),
                                 answer<domain::Delivery>(reply, [](const domain::Delivery& delivery) {
                                   return json::object{{"delivery", protocol::to_json(delivery)}};
                                 }));
}

constexpr std::array kServerOperations{
    NamedOperation{"server.users.upsert", op_users_upsert},
    NamedOperation{"server.users.revoke", op_users_revoke},
    NamedOperation{"server.presence", op_presence},
    NamedOperation{"server.rooms.direct", op_rooms_direct},
    NamedOperation{"server.rooms.create", op_rooms_create},
    NamedOperation{"server.members.add", op_members_add},
    NamedOperation{"server.members.remove", op_members_remove},
    NamedOperation{"server.members.role", op_members_role},
    NamedOperation{"server.messages.send", op_messages_send},
    NamedOperation{"server.messages.history", op_messages_history},
    NamedOperation{"server.messages.search", op_messages_search},
    NamedOperation{"server.webhooks.deliveries", op_webhooks_deliveries},
    NamedOperation{"server.webhooks.redeliver", op_webhooks_redeliver},
};

}  // namespace

std::span<const NamedOperation> server_operations() { return kServerOperations; }

}  // namespace parley::gateway
