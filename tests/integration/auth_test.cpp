// Accounts and tokens: registration, login, refresh rotation, logout, and authenticating
// HTTP requests and WebSocket connections.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kDefaultAccessTtlSeconds = 15 * 60;

class AuthTest : public ::testing::Test {
 protected:
  HttpResponse post(std::string_view target, const json::object& body) {
    return http_json(server.port(), "POST", target, body);
  }
  HttpResponse register_raw(std::string_view username, std::string_view password = kPassword) {
    return post("/v1/auth/register", {{"username", username}, {"password", password}});
  }
  HttpResponse refresh(std::string_view refresh_token) {
    return post("/v1/auth/refresh", {{"refresh_token", refresh_token}});
  }
  HttpResponse me(std::optional<std::string> token) {
    return http_request(server.port(), "GET", "/v1/me", {}, std::move(token));
  }

  TestServer server;
};

// The shape every token response (register, login, refresh) shares.
void expect_token_response(const HttpResponse& res, std::string_view username,
                           int expires_in = kDefaultAccessTtlSeconds) {
  ASSERT_TRUE(res.json.is_object()) << res.body;
  const json::object& body = res.json.get_object();
  const json::object& user = get_obj(body, "user");
  EXPECT_GT(get_int(user, "id"), 0);
  EXPECT_EQ(get_str(user, "username"), username);
  EXPECT_FALSE(get_str(user, "display_name").empty());
  EXPECT_GT(get_int(user, "created_at"), 0);
  EXPECT_FALSE(get_str(body, "access_token").empty());
  EXPECT_FALSE(get_str(body, "refresh_token").empty());
  EXPECT_EQ(get_str(body, "token_type"), "Bearer");
  EXPECT_EQ(get_int(body, "expires_in"), expires_in);
}

// The account as its owner is shown it (`me`, the auth reply, `ready`): the User the token
// responses carry, and the owner's settings, here the defaults.
json::object own_account(const Account& account) {
  json::object me = account.user;
  me["read_receipts"] = "everyone";
  me["push_text"] = "shown";
  return me;
}

// A JWT whose signature no longer matches: one character in the middle of the signature
// changes (the last character may only carry padding bits, so it is left alone).
std::string with_broken_signature(std::string token) {
  const std::size_t i = token.size() - 10;
  token[i] = token[i] == 'A' ? 'B' : 'A';
  return token;
}

TEST_F(AuthTest, RegisterAnswers201WithATokenResponse) {
  const std::string name = unique_username("alice");
  HttpResponse res = post("/v1/auth/register",
                          {{"username", name}, {"password", kPassword}, {"display_name", "Alice L."}});
  ASSERT_TRUE(is_http_ok(res, 201));
  expect_token_response(res, name);
  EXPECT_EQ(get_str(get_obj(res.object(), "user"), "display_name"), "Alice L.");
}

TEST_F(AuthTest, DisplayNameDefaultsToTheUsername) {
  const std::string name = unique_username("bob");
  HttpResponse res = register_raw(name);
  ASSERT_TRUE(is_http_ok(res, 201));
  EXPECT_EQ(get_str(get_obj(res.object(), "user"), "display_name"), name);
}

TEST_F(AuthTest, UsernameIsTakenWhateverItsCase) {
  const std::string name = unique_username("dave");
  ASSERT_TRUE(is_http_ok(register_raw(name), 201));

  EXPECT_TRUE(is_http_error(register_raw(name), 409, "username_taken"));
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(is_http_error(register_raw(upper), 409, "username_taken"));
}

TEST_F(AuthTest, RegistrationOutsideTheLimitsIsInvalidPayload) {
  EXPECT_TRUE(is_http_error(register_raw("ab"), 400, "invalid_payload"));          // too short
  EXPECT_TRUE(is_http_error(register_raw("has space"), 400, "invalid_payload"));   // bad character
  EXPECT_TRUE(is_http_error(register_raw(unique_username("erin"), "short"), 400, "invalid_payload"));

  HttpResponse missing = post("/v1/auth/register", {{"username", unique_username("fay")}});
  ASSERT_TRUE(is_http_error(missing, 400, "invalid_payload"));
  EXPECT_NE(get_str(get_obj(missing.object(), "error"), "message").find("password"), std::string::npos)
      << "the message should name the missing field: " << missing.body;
}

TEST_F(AuthTest, LoginReturnsATokenResponseForTheSameUser) {
  Account alice = register_user(server, "alice");

  HttpResponse res = post("/v1/auth/login", {{"username", alice.username}, {"password", kPassword}});
  ASSERT_TRUE(is_http_ok(res, 200));
  expect_token_response(res, alice.username);
  EXPECT_EQ(get_int(get_obj(res.object(), "user"), "id"), alice.id);

  HttpResponse me_res = me(get_str(res.object(), "access_token"));
  ASSERT_TRUE(is_http_ok(me_res));
  EXPECT_EQ(get_int(me_res.object(), "id"), alice.id);
}

TEST_F(AuthTest, WrongPasswordOrUnknownUserIsInvalidCredentials) {
  Account alice = register_user(server, "alice");
  EXPECT_TRUE(is_http_error(post("/v1/auth/login", {{"username", alice.username}, {"password", "wrong password"}}),
                            401, "invalid_credentials"));
  EXPECT_TRUE(is_http_error(post("/v1/auth/login", {{"username", unique_username("nobody")}, {"password", kPassword}}),
                            401, "invalid_credentials"));
}

TEST_F(AuthTest, RefreshReturnsANewPairAndRetiresTheOldRefreshToken) {
  Account alice = register_user(server, "alice");

  HttpResponse first = refresh(alice.refresh_token);
  ASSERT_TRUE(is_http_ok(first));
  expect_token_response(first, alice.username);
  const std::string new_refresh = get_str(first.object(), "refresh_token");
  EXPECT_NE(new_refresh, alice.refresh_token);
  EXPECT_TRUE(is_http_ok(me(get_str(first.object(), "access_token"))));

  EXPECT_TRUE(is_http_error(refresh(alice.refresh_token), 401, "invalid_credentials"));
}

TEST_F(AuthTest, ReplayingARetiredRefreshTokenRevokesTheNewerOne) {
  Account alice = register_user(server, "alice");
  HttpResponse rotated = refresh(alice.refresh_token);
  ASSERT_TRUE(is_http_ok(rotated));
  const std::string newer = get_str(rotated.object(), "refresh_token");

  // Someone replays the retired token: the whole login is treated as stolen.
  EXPECT_TRUE(is_http_error(refresh(alice.refresh_token), 401, "invalid_credentials"));
  EXPECT_TRUE(is_http_error(refresh(newer), 401, "invalid_credentials"));
}

TEST_F(AuthTest, LogoutEndsThatLoginOnly) {
  Account alice = register_user(server, "alice");
  Account other_login = login(server, alice.username);

  HttpResponse out = post("/v1/auth/logout", {{"refresh_token", alice.refresh_token}});
  ASSERT_TRUE(is_http_ok(out));
  EXPECT_TRUE(out.object().empty()) << out.body;

  EXPECT_TRUE(is_http_error(refresh(alice.refresh_token), 401, "invalid_credentials"));
  EXPECT_TRUE(is_http_ok(refresh(other_login.refresh_token)));
}

// Logout ends the login at once: its access tokens are refused and its WebSockets closed with
// 4003, while another login of the same account goes on.
TEST_F(AuthTest, LogoutEndsTheLoginsAccessTokensAndWebSocketsAtOnce) {
  Account alice = register_user(server, "alice");
  Account other_login = login(server, alice.username);
  WsClient ending = connect(server, alice);
  WsClient staying = connect(server, other_login);

  ASSERT_TRUE(is_http_ok(post("/v1/auth/logout", {{"refresh_token", alice.refresh_token}})));
  EXPECT_TRUE(is_http_error(me(alice.access_token), 401, "unauthorized"));
  EXPECT_EQ(ending.wait_closed(), 4003);
  EXPECT_TRUE(WsClient(server.port()).auth(alice.access_token).error_code() == "unauthorized");

  EXPECT_TRUE(is_http_ok(me(other_login.access_token)));
  EXPECT_TRUE(staying.request("ping").ok());
}

TEST_F(AuthTest, AReusedRefreshTokenEndsTheLoginsAccessTokensAtOnce) {
  Account alice = register_user(server, "alice");
  HttpResponse rotated = refresh(alice.refresh_token);
  ASSERT_TRUE(is_http_ok(rotated));
  const std::string newer_access = get_str(rotated.object(), "access_token");
  WsClient device = connect(server, Account{alice.id, alice.username, alice.password, newer_access, "", alice.user});

  EXPECT_TRUE(is_http_error(refresh(alice.refresh_token), 401, "invalid_credentials"));
  EXPECT_TRUE(is_http_error(me(newer_access), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(me(alice.access_token), 401, "unauthorized"));
  EXPECT_EQ(device.wait_closed(), 4003);
}

TEST_F(AuthTest, AChangedPasswordEndsEveryOtherLogin) {
  Account alice = register_user(server, "alice");
  Account laptop = login(server, alice.username);
  WsClient phone_ws = connect(server, alice);
  WsClient laptop_ws = connect(server, laptop);
  const auto change = [&](const Account& who, std::string_view current, std::string_view next) {
    return http_json(server.port(), "POST", "/v1/auth/password", {{"current_password", current}, {"new_password", next}},
                     who.access_token);
  };

  EXPECT_TRUE(is_http_error(change(alice, "not the password", "a new long password"), 401, "invalid_credentials"));
  EXPECT_TRUE(is_http_error(change(alice, kPassword, "short"), 400, "invalid_payload"));
  ASSERT_TRUE(is_http_ok(change(alice, kPassword, "a new long password")));

  EXPECT_EQ(laptop_ws.wait_closed(), 4003);
  EXPECT_TRUE(is_http_error(me(laptop.access_token), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(refresh(laptop.refresh_token), 401, "invalid_credentials"));
  // The login that changed it goes on.
  EXPECT_TRUE(is_http_ok(me(alice.access_token)));
  EXPECT_TRUE(phone_ws.request("ping").ok());
  EXPECT_TRUE(is_http_ok(refresh(alice.refresh_token)));

  EXPECT_TRUE(is_http_error(post("/v1/auth/login", {{"username", alice.username}, {"password", kPassword}}), 401,
                            "invalid_credentials"));
  EXPECT_TRUE(is_http_ok(post("/v1/auth/login", {{"username", alice.username}, {"password", "a new long password"}})));
}

TEST_F(AuthTest, MeNeedsAValidAccessToken) {
  Account alice = register_user(server, "alice");

  HttpResponse ok = me(alice.access_token);
  ASSERT_TRUE(is_http_ok(ok));
  EXPECT_EQ(ok.object(), own_account(alice));

  EXPECT_TRUE(is_http_error(me(std::nullopt), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(me("garbage"), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(me("aaaa.bbbb.cccc"), 401, "unauthorized"));
  EXPECT_TRUE(is_http_error(me(with_broken_signature(alice.access_token)), 401, "unauthorized"));
  // The token without the Bearer scheme.
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/me", {}, std::nullopt,
                                         {{"Authorization", alice.access_token}}),
                            401, "unauthorized"));
}

TEST_F(AuthTest, ATokenSignedByAnotherServerIsUnauthorized) {
  Account alice = register_user(server, "alice");
  TestServer elsewhere;  // its own data directory, so its own signing secret
  Account stranger = register_user(elsewhere, "alice");

  EXPECT_TRUE(is_http_error(me(stranger.access_token), 401, "unauthorized"));
  WsClient ws(server.port());
  EXPECT_TRUE(is_error(ws.auth(stranger.access_token), "unauthorized"));
}

TEST(AuthExpiryTest, AnExpiredAccessTokenIsUnauthorizedWhileRefreshStillWorks) {
  TestServer server({"--access-token-ttl", "1"});
  const std::string name = unique_username("alice");
  HttpResponse reg = http_json(server.port(), "POST", "/v1/auth/register",
                               {{"username", name}, {"password", kPassword}});
  ASSERT_TRUE(is_http_ok(reg, 201));
  expect_token_response(reg, name, 1);
  const std::string access = get_str(reg.object(), "access_token");

  // Wait for the token to lapse; the loop bound only stops a server that never expires it.
  HttpResponse res;
  for (int attempt = 0; attempt < 60; ++attempt) {
    res = http_request(server.port(), "GET", "/v1/me", {}, access);
    if (res.status != 200) break;
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_TRUE(is_http_error(res, 401, "unauthorized"));
  EXPECT_EQ(ws_upgrade_status(server.port(), "/v1/ws?token=" + access), 401);

  // A Supabase Realtime client reconnects with the key it was made with, expired or not: the
  // connection opens, and a join without a live token of its own is refused.
  WsClient realtime(server.port(), "/realtime/v1/websocket?vsn=1.0.0&apikey=" + access);
  realtime.send_raw(R"({"topic":"realtime:lobby","event":"phx_join","payload":{},"ref":"1","join_ref":"1"})");
  Event refused = realtime.next_event("phx_reply");
  EXPECT_EQ(refused.data.at("payload").at("status"), "error");
  EXPECT_EQ(refused.data.at("payload").at("response").at("reason"), "Unauthorized: the access token has expired");

  HttpResponse renewed = http_json(server.port(), "POST", "/v1/auth/refresh",
                                   {{"refresh_token", get_str(reg.object(), "refresh_token")}});
  ASSERT_TRUE(is_http_ok(renewed));
  expect_token_response(renewed, name, 1);
  const std::string live = get_str(renewed.object(), "access_token");
  realtime.send_raw(R"({"topic":"realtime:lobby","event":"phx_join","payload":{"access_token":")" + live +
                    R"("},"ref":"2","join_ref":"2"})");
  Event joined = realtime.next_event("phx_reply");
  EXPECT_EQ(joined.data.at("payload").at("status"), "ok");
}

// ---- WebSocket ---------------------------------------------------------------------------

TEST_F(AuthTest, WsAuthFrameAuthenticatesTheConnection) {
  Account alice = register_user(server, "alice");
  WsClient ws(server.port());

  WsReply reply = ws.auth(alice.access_token);
  ASSERT_TRUE(is_ok(reply));
  EXPECT_EQ(get_obj(reply.data(), "user"), own_account(alice));

  WsReply me_reply = ws.request("me");
  ASSERT_TRUE(is_ok(me_reply));
  EXPECT_EQ(get_int(me_reply.data(), "id"), alice.id);
}

TEST_F(AuthTest, WsOpsBeforeAuthAreUnauthorizedAndTheConnectionStaysUsable) {
  Account alice = register_user(server, "alice");
  WsClient ws(server.port());

  EXPECT_TRUE(is_error(ws.request("me"), "unauthorized"));
  EXPECT_TRUE(is_error(ws.request("ping"), "unauthorized"));
  EXPECT_TRUE(is_error(ws.request("rooms.list"), "unauthorized"));
  EXPECT_TRUE(is_error(ws.auth("garbage"), "unauthorized"));
  EXPECT_TRUE(is_error(ws.auth(with_broken_signature(alice.access_token)), "unauthorized"));

  ASSERT_TRUE(is_ok(ws.auth(alice.access_token)));
  WsReply me_reply = ws.request("me");
  ASSERT_TRUE(is_ok(me_reply));
  EXPECT_EQ(get_int(me_reply.data(), "id"), alice.id);
}

TEST_F(AuthTest, WsQueryTokenIsFollowedByAReadyEvent) {
  Account alice = register_user(server, "alice");
  WsClient ws(server.port(), "/v1/ws?token=" + alice.access_token);

  Event ready = ws.next_event("ready");
  EXPECT_EQ(get_obj(ready.data, "user"), own_account(alice));
  WsReply me_reply = ws.request("me");
  ASSERT_TRUE(is_ok(me_reply));
  EXPECT_EQ(get_int(me_reply.data(), "id"), alice.id);
}

TEST_F(AuthTest, WsInvalidQueryTokenIsRefusedBeforeTheUpgrade) {
  Account alice = register_user(server, "alice");
  EXPECT_EQ(ws_upgrade_status(server.port(), "/v1/ws?token=garbage"), 401);
  EXPECT_EQ(ws_upgrade_status(server.port(), "/v1/ws?token=" + with_broken_signature(alice.access_token)), 401);
  EXPECT_EQ(ws_upgrade_status(server.port(), "/v1/ws?token=" + alice.access_token), 101);
}

TEST_F(AuthTest, WsConnectionThatNeverAuthenticatesIsClosedWith4001) {
  WsClient ws(server.port());
  // The server allows 10 seconds; the wait is longer only so that it cannot cut the test short.
  EXPECT_EQ(ws.wait_closed(30s), 4001);
}

// Password guessing: an account's failed logins are limited wherever they come from, and the
// answer is rate_limited before any hash is made, even for the right password.
TEST(SignInLimitTest, FailedLoginsForOneAccountAreLimited) {
  TestServer server({"--login-failures-per-account", "2"});  // bursts of 4
  Account alice = register_user(server, "alice");
  const auto attempt = [&](std::string_view password) {
    return http_json(server.port(), "POST", "/v1/auth/login", {{"username", alice.username}, {"password", password}});
  };
  int refused = 0, limited = 0;
  HttpResponse last;
  for (int i = 0; i < 8; ++i) {
    last = attempt("not the password");
    if (is_http_error(last, 401, "invalid_credentials")) ++refused;
    if (is_http_error(last, 429, "rate_limited")) ++limited;
  }
  EXPECT_EQ(refused, 4) << "the burst";
  EXPECT_EQ(limited, 4);
  EXPECT_GT(last.object().at("error").at("retry_after_ms").as_int64(), 0) << last.body;
  EXPECT_TRUE(is_http_error(attempt(kPassword), 429, "rate_limited")) << "no guess gets through, right or wrong";
  // Another account is not held back by alice's.
  Account bob = register_user(server, "bob");
  EXPECT_TRUE(is_http_ok(http_json(server.port(), "POST", "/v1/auth/login", {{"username", bob.username}, {"password", kPassword}})));
}

TEST(SignInLimitTest, RegistrationsFromOneAddressAreLimited) {
  TestServer server({"--registrations-per-address", "1"});  // bursts of 2
  const auto attempt = [&](int i) {
    return http_json(server.port(), "POST", "/v1/auth/register",
                     {{"username", unique_username("r" + std::to_string(i))}, {"password", kPassword}});
  };
  EXPECT_EQ(attempt(1).status, 201);
  EXPECT_EQ(attempt(2).status, 201);
  HttpResponse third = attempt(3);
  EXPECT_TRUE(is_http_error(third, 429, "rate_limited")) << third.body;
}

}  // namespace
}  // namespace parley::test
