// Requests about rooms and their members.
#include "client/c_api_requests.hpp"
#include "client/json_mapping.hpp"
#include "core/error.hpp"

namespace json = boost::json;

namespace parley::c_api {

namespace {

json::object room_json(const Room& r) { return client::to_json(r); }
json::object member_json(const Member& m) { return client::to_json(m); }

json::object members_json(const std::vector<Member>& members) {
  json::array list;
  for (const auto& m : members) list.push_back(client::to_json(m));
  return {{"members", std::move(list)}};
}

Result<json::value> rooms(Client& c, const Fields&, const RequestContext&) {
  json::array list;
  for (const auto& r : c.rooms()) list.push_back(room_json(r));
  return json::value(json::object{{"rooms", std::move(list)}});
}

// The room as held on this device, or null.
Result<json::value> room(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  auto found = c.room(id);
  return found ? json::value(room_json(*found)) : json::value(nullptr);
}

Result<json::value> direct_room(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(username, f.text("username"));
  return data_of(c.direct_room(username), room_json);
}

Result<json::value> create_group(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(name, f.text("name"));
  PARLEY_TRY(members, f.user_ids("members"));
  return data_of(c.create_group(name, members), room_json);
}

Result<json::value> rename_group(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  PARLEY_TRY(name, f.text("name"));
  return no_data(c.rename_group(id, name));
}

Result<json::value> members(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  return data_of(c.members(id), members_json);
}

Result<json::value> cached_members(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  return json::value(members_json(c.cached_members(id)));
}

Result<json::value> add_member(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  PARLEY_TRY(user, f.user_id());
  PARLEY_TRY(role, f.optional_text("role"));
  return data_of(c.add_member(id, user, role.value_or("member")), member_json);
}

Result<json::value> remove_member(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  PARLEY_TRY(user, f.user_id());
  return no_data(c.remove_member(id, user));
}

Result<json::value> set_role(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  PARLEY_TRY(user, f.user_id());
  PARLEY_TRY(role, f.text("role"));
  return data_of(c.set_role(id, user, role), member_json);
}

Result<json::value> leave(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(id, f.room_id());
  return no_data(c.leave(id));
}

}  // namespace

void add_room_requests(RequestTable& t) {
  t["rooms"] = {rooms};
  t["room"] = {room};
  t["direct_room"] = {direct_room};
  t["create_group"] = {create_group};
  t["rename_group"] = {rename_group};
  t["members"] = {members};
  t["cached_members"] = {cached_members};
  t["add_member"] = {add_member};
  t["remove_member"] = {remove_member};
  t["set_role"] = {set_role};
  t["leave"] = {leave};
}

}  // namespace parley::c_api
