// Which pages may use the server from a browser: a WebSocket upgrade from another site's page is
// refused before the upgrade, allowed sites get CORS headers, and the web client's pages carry a
// strict Content-Security-Policy and the usual security headers.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/scratch_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace parley::test {
namespace {

HttpResponse upgrade_from(const TestServer& server, const std::string& origin) {
  HttpRequest request;
  request.target = "/v1/ws";
  request.headers = {{"Upgrade", "websocket"},
                     {"Connection", "Upgrade"},
                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                     {"Sec-WebSocket-Version", "13"}};
  if (!origin.empty()) request.headers.emplace_back("Origin", origin);
  return send_http(server.port(), request);
}

TEST(OriginsTest, AnotherSitesPageCannotOpenAWebSocket) {
  TestServer server;
  HttpResponse refused = upgrade_from(server, "https://evil.example");
  EXPECT_TRUE(is_http_error(refused, 403, "forbidden")) << refused.body;
  EXPECT_EQ(upgrade_from(server, "").status, 101) << "an app sends no Origin";
  EXPECT_EQ(upgrade_from(server, "http://127.0.0.1:" + std::to_string(server.port())).status, 101)
      << "the server's own page";
}

TEST(OriginsTest, AnAllowedSiteGetsCorsHeadersAndOthersDoNot) {
  TestServer server({"--allowed-origins", "https://app.example"});
  Account alice = register_user(server, "alice");
  EXPECT_EQ(upgrade_from(server, "https://app.example").status, 101);

  HttpRequest me;
  me.target = "/v1/me";
  me.bearer = alice.access_token;
  me.headers = {{"Origin", "https://app.example"}};
  HttpResponse allowed = send_http(server.port(), me);
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.header("Access-Control-Allow-Origin"), "https://app.example");

  HttpRequest preflight;
  preflight.method = "OPTIONS";
  preflight.target = "/v1/rooms";
  preflight.headers = {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}};
  HttpResponse answer = send_http(server.port(), preflight);
  EXPECT_EQ(answer.status, 204);
  EXPECT_NE(answer.header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);

  me.headers = {{"Origin", "https://evil.example"}};
  EXPECT_EQ(send_http(server.port(), me).header("Access-Control-Allow-Origin"), "") << "no CORS for other sites";
  EXPECT_TRUE(is_http_error(upgrade_from(server, "https://evil.example"), 403, "forbidden"));
}

TEST(OriginsTest, TheWebClientsPagesCarryAStrictContentSecurityPolicy) {
  ScratchDir web;
  std::ofstream(web.path() / "index.html") << "<!doctype html><title>t</title>";
  TestServer server({"--web-dir", web.path().string()});
  HttpResponse page = http_request(server.port(), "GET", "/");
  ASSERT_EQ(page.status, 200);
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer");
}

}  // namespace
}  // namespace parley::test
