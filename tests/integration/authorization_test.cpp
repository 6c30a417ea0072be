// Who may do what in a group, as a table: every role against every room operation. Each case
// runs on a fresh group so that no case depends on another's effects.
//
// Non-members get not_found for everything, exactly what a room id that does not exist gets, so
// that the answer does not reveal whether the room exists. Members read, send, list and leave;
// managing is forbidden to them. Admins may do everything.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr std::int64_t kNoSuchRoom = 987654321;

enum class Role { non_member, member, admin };
enum class Outcome { ok, forbidden, not_found };

struct Case {
  Role role;
  std::string op;
  Outcome expected;
};

std::string to_string(Role role) {
  switch (role) {
    case Role::non_member: return "non_member";
    case Role::member: return "member";
    case Role::admin: return "admin";
  }
  return "?";
}

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::forbidden: return "forbidden";
    case Outcome::not_found: return "not_found";
  }
  return "?";
}

// How GoogleTest shows a case when it fails.
void PrintTo(const Case& c, std::ostream* os) {
  *os << to_string(c.role) << " " << c.op << " -> " << to_string(c.expected);
}

std::vector<Case> all_cases() {
  const std::vector<std::string> everyday = {"rooms.get", "messages.history", "messages.search", "messages.send",
                                             "members.list", "rooms.leave"};
  const std::vector<std::string> managing = {"rooms.rename", "members.add", "members.remove", "members.role"};
  std::vector<Case> cases;
  for (Role role : {Role::non_member, Role::member, Role::admin}) {
    for (const auto& op : everyday)
      cases.push_back({role, op, role == Role::non_member ? Outcome::not_found : Outcome::ok});
    for (const auto& op : managing)
      cases.push_back({role, op,
                       role == Role::non_member ? Outcome::not_found
                       : role == Role::member   ? Outcome::forbidden
                                                : Outcome::ok});
  }
  return cases;
}

// "member_rooms_rename"
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = to_string(info.param.role) + "_" + info.param.op;
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

// Replaces every occurrence of the room id in an error message, so that "room 12 not found"
// and "room 987654321 not found" compare equal: the id itself is no leak.
std::string without_id(std::string message, std::int64_t room_id) {
  const std::string id = std::to_string(room_id);
  for (std::size_t at = message.find(id); at != std::string::npos; at = message.find(id, at))
    message.replace(at, id.size(), "<room>");
  return message;
}

// One server and four accounts for the whole table; every case makes its own group.
class AuthorizationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    admin_ = new Account(register_user(*server_, "admin"));
    member_ = new Account(register_user(*server_, "member"));
    outsider_ = new Account(register_user(*server_, "outsider"));
    target_ = new Account(register_user(*server_, "target"));      // removed, promoted
    newcomer_ = new Account(register_user(*server_, "newcomer"));  // added
  }
  static void TearDownTestSuite() {
    for (Account* a : {admin_, member_, outsider_, target_, newcomer_}) delete a;
    delete server_;
  }
  void SetUp() override {
    ASSERT_TRUE(server_ && newcomer_) << "the suite's set-up failed";
    admin_ws.emplace(connect(*server_, *admin_));
    member_ws.emplace(connect(*server_, *member_));
    outsider_ws.emplace(connect(*server_, *outsider_));
  }

  // A group of admin, member and target.
  std::int64_t fresh_group() { return create_group(*admin_ws, "Case", {member_->id, target_->id}); }

  WsClient& actor(Role role) {
    switch (role) {
      case Role::non_member: return *outsider_ws;
      case Role::member: return *member_ws;
      case Role::admin: return *admin_ws;
    }
    throw std::logic_error("unknown role");
  }
  json::object params_for(const std::string& op, std::int64_t room_id, std::string_view client_msg_id) {
    json::object p{{"room_id", room_id}};
    if (op == "messages.send") {
      p["client_msg_id"] = client_msg_id;
      p["type"] = "text";
      p["text"] = "may I?";
    } else if (op == "messages.search") {
      p["query"] = "may";
    } else if (op == "rooms.rename") {
      p["name"] = "Renamed";
    } else if (op == "members.add") {
      p["user_id"] = newcomer_->id;
    } else if (op == "members.remove") {
      p["user_id"] = target_->id;
    } else if (op == "members.role") {
      p["user_id"] = target_->id;
      p["role"] = "admin";
    }
    return p;
  }

  // What a refused operation must leave unchanged: name, messages, members and their roles.
  // (Not the admin's own watermarks, which move as events reach the admin.)
  json::object snapshot(std::int64_t room_id) {
    const json::object& room = require_ok(admin_ws->request("rooms.get", {{"room_id", room_id}}), "rooms.get");
    json::object shot{{"name", get_str(room, "name")},
                      {"last_seq", get_int(room, "last_seq")},
                      {"member_count", get_int(room, "member_count")}};
    const json::object listed = require_ok(admin_ws->request("members.list", {{"room_id", room_id}}), "members.list");
    json::array members;
    for (const auto& m : get_arr(listed, "members"))
      members.push_back(json::object{{"user_id", get_int(as_obj(m), "user_id")}, {"role", get_str(as_obj(m), "role")}});
    shot["members"] = std::move(members);
    return shot;
  }

  // What an allowed operation must have done.
  void expect_effect(const Case& c, std::int64_t room_id) {
    auto role_of = [&](std::int64_t user) {
      auto m = find_member(*admin_ws, room_id, user);
      return m ? get_str(*m, "role") : std::string("(not a member)");
    };
    if (c.op == "rooms.rename") {
      EXPECT_EQ(get_str(require_ok(admin_ws->request("rooms.get", {{"room_id", room_id}}), "rooms.get"), "name"),
                "Renamed");
    } else if (c.op == "members.add") {
      EXPECT_EQ(role_of(newcomer_->id), "member");
    } else if (c.op == "members.remove") {
      EXPECT_EQ(role_of(target_->id), "(not a member)");
    } else if (c.op == "members.role") {
      EXPECT_EQ(role_of(target_->id), "admin");
    } else if (c.op == "messages.send") {
      const auto history = fetch_history(*admin_ws, room_id);
      ASSERT_FALSE(history.empty());
      EXPECT_EQ(get_str(history.back(), "client_msg_id"), "case-1");
    } else if (c.op == "rooms.leave" && c.role == Role::member) {
      EXPECT_EQ(role_of(member_->id), "(not a member)");
    }
  }

  static TestServer* server_;
  static Account* admin_;
  static Account* member_;
  static Account* outsider_;
  static Account* target_;
  static Account* newcomer_;
  std::optional<WsClient> admin_ws;
  std::optional<WsClient> member_ws;
  std::optional<WsClient> outsider_ws;
};

TestServer* AuthorizationTest::server_ = nullptr;
Account* AuthorizationTest::admin_ = nullptr;
Account* AuthorizationTest::member_ = nullptr;
Account* AuthorizationTest::outsider_ = nullptr;
Account* AuthorizationTest::target_ = nullptr;
Account* AuthorizationTest::newcomer_ = nullptr;

class RoleTable : public AuthorizationTest, public ::testing::WithParamInterface<Case> {};

TEST_P(RoleTable, OutcomeMatchesTheRole) {
  const Case& c = GetParam();
  SCOPED_TRACE(to_string(c.role) + " " + c.op + " -> " + to_string(c.expected));
  const std::int64_t room_id = fresh_group();
  const json::object before = snapshot(room_id);

  WsReply reply = actor(c.role).request(c.op, params_for(c.op, room_id, "case-1"));

  switch (c.expected) {
    case Outcome::ok:
      ASSERT_TRUE(is_ok(reply));
      expect_effect(c, room_id);
      break;
    case Outcome::forbidden:
      EXPECT_TRUE(is_error(reply, "forbidden"));
      EXPECT_EQ(snapshot(room_id), before) << "a forbidden operation changed the room";
      break;
    case Outcome::not_found: {
      ASSERT_TRUE(is_error(reply, "not_found"));
      EXPECT_EQ(snapshot(room_id), before) << "a non-member's operation changed the room";
      // The same operation on a room that does not exist answers the same.
      WsReply missing = actor(c.role).request(c.op, params_for(c.op, kNoSuchRoom, "case-2"));
      ASSERT_TRUE(is_error(missing, "not_found"));
      EXPECT_EQ(without_id(reply.error_message(), room_id), without_id(missing.error_message(), kNoSuchRoom))
          << "a member-only room and a missing room must be told apart by nothing";
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryRoleAndOperation, RoleTable, ::testing::ValuesIn(all_cases()), case_name);

// ---- The same rules over HTTP, with their status codes -----------------------------------

TEST_F(AuthorizationTest, HttpAnswersWithTheMatchingStatusCodes) {
  const std::int64_t room_id = fresh_group();
  const int port = server_->port();
  const std::string room = "/v1/rooms/" + std::to_string(room_id);
  const std::string missing = "/v1/rooms/" + std::to_string(kNoSuchRoom);
  const std::string target = "/members/" + std::to_string(target_->id);
  const std::string& outsider = outsider_->access_token;
  const std::string& member = member_->access_token;
  const std::string& admin = admin_->access_token;

  // Not a member: the room looks exactly like one that does not exist.
  HttpResponse hidden = http_request(port, "GET", room, {}, outsider);
  HttpResponse absent = http_request(port, "GET", missing, {}, outsider);
  ASSERT_TRUE(is_http_error(hidden, 404, "not_found"));
  ASSERT_TRUE(is_http_error(absent, 404, "not_found"));
  EXPECT_EQ(without_id(get_str(get_obj(hidden.object(), "error"), "message"), room_id),
            without_id(get_str(get_obj(absent.object(), "error"), "message"), kNoSuchRoom));
  EXPECT_TRUE(is_http_error(http_request(port, "GET", room + "/messages", {}, outsider), 404, "not_found"));
  EXPECT_TRUE(is_http_error(http_request(port, "GET", room + "/members", {}, outsider), 404, "not_found"));
  EXPECT_TRUE(is_http_error(http_json(port, "POST", room + "/messages",
                                      {{"client_msg_id", "o-1"}, {"type", "text"}, {"text", "hi"}}, outsider),
                            404, "not_found"));

  // A member reads and writes but does not manage.
  EXPECT_TRUE(is_http_ok(http_request(port, "GET", room + "/members", {}, member)));
  EXPECT_TRUE(is_http_ok(http_json(port, "POST", room + "/messages",
                                   {{"client_msg_id", "m-1"}, {"type", "text"}, {"text", "hi"}}, member)));
  EXPECT_TRUE(is_http_error(http_json(port, "PATCH", room, {{"name", "Mine"}}, member), 403, "forbidden"));
  EXPECT_TRUE(is_http_error(http_json(port, "POST", room + "/members", {{"user_id", newcomer_->id}}, member), 403,
                            "forbidden"));
  EXPECT_TRUE(is_http_error(http_json(port, "PATCH", room + target, {{"role", "admin"}}, member), 403, "forbidden"));
  EXPECT_TRUE(is_http_error(http_request(port, "DELETE", room + target, {}, member), 403, "forbidden"));

  // The admin manages.
  HttpResponse renamed = http_json(port, "PATCH", room, {{"name", "Ours"}}, admin);
  ASSERT_TRUE(is_http_ok(renamed));
  EXPECT_EQ(get_str(renamed.object(), "name"), "Ours");
  HttpResponse added = http_json(port, "POST", room + "/members", {{"user_id", newcomer_->id}}, admin);
  ASSERT_TRUE(is_http_ok(added));
  EXPECT_EQ(get_int(added.object(), "user_id"), newcomer_->id);
  HttpResponse promoted = http_json(port, "PATCH", room + target, {{"role", "admin"}}, admin);
  ASSERT_TRUE(is_http_ok(promoted));
  EXPECT_EQ(get_str(promoted.object(), "role"), "admin");
  EXPECT_TRUE(is_http_ok(http_request(port, "DELETE", room + target, {}, admin)));

  // No token at all.
  EXPECT_TRUE(is_http_error(http_request(port, "GET", room), 401, "unauthorized"));
}

}  // namespace
}  // namespace parley::test
