// Requests about the account and the connection.
#include <chrono>

#include "client/c_api_requests.hpp"
#include "client/json_mapping.hpp"
#include "core/error.hpp"

namespace json = boost::json;

namespace parley::c_api {

namespace {

json::object user_json(const User& u) { return client::to_json(u); }

Result<json::value> register_account(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(username, f.text("username"));
  PARLEY_TRY(password, f.text("password"));
  PARLEY_TRY(display_name, f.optional_text("display_name"));
  return data_of(c.register_account(username, password, display_name.value_or("")), user_json);
}

Result<json::value> login(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(username, f.text("username"));
  PARLEY_TRY(password, f.text("password"));
  return data_of(c.login(username, password), user_json);
}

Result<json::value> logout(Client& c, const Fields&, const RequestContext&) { return no_data(c.logout()); }

// The signed-in user, or null.
Result<json::value> me(Client& c, const Fields&, const RequestContext&) {
  auto user = c.me();
  return user ? json::value(user_json(*user)) : json::value(nullptr);
}

Result<json::value> find_user(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(username, f.text("username"));
  return data_of(c.find_user(username), user_json);
}

Result<json::value> connect(Client& c, const Fields&, const RequestContext&) {
  c.connect();
  return json::value(json::object{});
}

Result<json::value> disconnect(Client& c, const Fields&, const RequestContext&) {
  c.disconnect();
  return json::value(json::object{});
}

Result<json::value> connection_state(Client& c, const Fields&, const RequestContext&) {
  return json::value(json::object{{"state", to_string(c.connection_state())}});
}

Result<std::chrono::milliseconds> timeout_of(const Fields& f) {
  PARLEY_TRY(ms, f.integer("timeout_ms"));
  if (ms < 0) return fail(ErrorCode::invalid_payload, "\"timeout_ms\" must not be negative");
  return std::chrono::milliseconds(ms);
}

Result<json::value> wait_online(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(timeout, timeout_of(f));
  return json::value(json::object{{"online", c.wait_online(timeout)}});
}

Result<json::value> wait_outbox_empty(Client& c, const Fields& f, const RequestContext&) {
  PARLEY_TRY(timeout, timeout_of(f));
  return json::value(json::object{{"empty", c.wait_outbox_empty(timeout)}});
}

}  // namespace

void add_account_requests(RequestTable& t) {
  t["register"] = {register_account};
  t["login"] = {login};
  t["logout"] = {logout};
  t["me"] = {me};
  t["find_user"] = {find_user};
  t["connect"] = {connect};
  t["disconnect"] = {disconnect};
  t["connection_state"] = {connection_state};
  t["wait_online"] = {wait_online};
  t["wait_outbox_empty"] = {wait_outbox_empty};
}

}  // namespace parley::c_api
