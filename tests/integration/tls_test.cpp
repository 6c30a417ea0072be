// TLS in parleyd (--tls-cert, --tls-key): HTTPS and WSS on one port, modern protocol versions
// only, uploads through it, and a certificate renewed on SIGHUP while connections stay open.
// Certificates come from a CA the test makes (support/test_certificates.hpp); the clients trust
// only that CA and check the server's name, as an app does.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/json_access.hpp"
#include "support/scratch_dir.hpp"
#include "support/test_certificates.hpp"
#include "support/test_server.hpp"
#include "support/tls_client.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

TlsClientOptions trusting(const TestCertificateAuthority& ca) { return {.trusted_ca_pem = ca.certificate_pem()}; }

bool https_healthz_ok(int port, const TlsClientOptions& client) {
  try {
    HttpRequest request;
    request.target = "/healthz";
    request.timeout = std::chrono::seconds(2);
    return send_https(port, request, client).status == 200;
  } catch (const std::exception&) {
    return false;  // not listening yet
  }
}

TestServerOptions tls_server(const ServerCertificateFiles& files, const TlsClientOptions& client) {
  return {.extra_flags = {"--tls-cert", files.certificate_chain.string(), "--tls-key", files.private_key.string()},
          .ready_probe = [client](int port) { return https_healthz_ok(port, client); }};
}

struct SignedIn {
  std::int64_t id = 0;
  std::string access_token;
};

SignedIn register_over_https(int port, const TlsClientOptions& client, const std::string& username) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1/auth/register";
  request.body = json::serialize(json::object{{"username", username}, {"password", "correct horse battery"}});
  auto response = send_https(port, request, client);
  if (response.status != 201) throw std::runtime_error("register over HTTPS: " + std::to_string(response.status) + " " + response.body);
  return {get_int(get_obj(response.object(), "user"), "id"), get_str(response.object(), "access_token")};
}

// Waits (bounded) until a new connection is served with a certificate that `client` trusts.
bool wait_until_trusted(int port, const TlsClientOptions& client) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (tls_handshake_failure(port, client).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

class TlsTest : public ::testing::Test {
 protected:
  ScratchDir dir;
  TestCertificateAuthority ca{"Parley test CA"};
  ServerCertificateFiles files = ca.issue(dir.path(), "server");
  TlsClientOptions client = trusting(ca);
};

TEST_F(TlsTest, HttpsAndWssOnOnePortCarryMessagesBothWays) {
  TestServer server(tls_server(files, client));
  const auto alice = register_over_https(server.port(), client, "alice_tls");
  const auto bob = register_over_https(server.port(), client, "bob_tls");

  WssClient alice_ws(server.port(), "/v1/ws?token=" + alice.access_token, client);
  WssClient bob_ws(server.port(), "/v1/ws?token=" + bob.access_token, client);
  EXPECT_EQ(get_int(get_obj(alice_ws.wait_event("ready"), "user"), "id"), alice.id);
  EXPECT_EQ(get_int(get_obj(bob_ws.wait_event("ready"), "user"), "id"), bob.id);

  auto room = alice_ws.request("rooms.direct", {{"user_id", bob.id}});
  ASSERT_EQ(room.at("ok"), true) << json::serialize(room);
  const auto room_id = get_int(get_obj(get_obj(room, "data"), "room"), "id");
  // The longest text a message may have: more than one TLS record each way.
  std::string text(16 * 1024, 'x');
  for (std::size_t i = 0; i < text.size(); i += 97) text[i] = static_cast<char>('a' + (i / 97) % 26);
  auto sent = alice_ws.request("messages.send",
                               {{"room_id", room_id}, {"client_msg_id", "tls-1"}, {"type", "text"}, {"text", text}});
  ASSERT_EQ(sent.at("ok"), true) << json::serialize(sent);

  auto message = get_obj(bob_ws.wait_event("message"), "message");
  EXPECT_EQ(get_str(message, "client_msg_id"), "tls-1");
  EXPECT_EQ(get_str(message, "text"), text);

  // The same history over HTTPS, with the bearer token.
  HttpRequest history;
  history.target = "/v1/rooms/" + std::to_string(room_id) + "/messages";
  history.bearer = bob.access_token;
  auto page = send_https(server.port(), history, client);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("tls-1"), std::string::npos);
}

TEST_F(TlsTest, RefusesTlsOlderThan12AndPlainHttpButKeepsServing) {
  TestServer server(tls_server(files, client));
  auto old_client = client;
  old_client.max_protocol_version = TLS1_1_VERSION;
  EXPECT_FALSE(tls_handshake_failure(server.port(), old_client).empty());
  auto tls12_client = client;
  tls12_client.max_protocol_version = TLS1_2_VERSION;
  EXPECT_EQ(tls_handshake_failure(server.port(), tls12_client), "");

  // Plain HTTP to the TLS port gets no HTTP answer...
  HttpRequest plain;
  plain.target = "/healthz";
  plain.timeout = std::chrono::seconds(5);
  bool answered = false;
  try {
    answered = send_http(server.port(), plain).status == 200;
  } catch (const std::exception&) {
  }
  EXPECT_FALSE(answered);
  // ...and the server goes on serving TLS clients.
  EXPECT_TRUE(https_healthz_ok(server.port(), client));
}

TEST_F(TlsTest, UploadsAndRangesGoThroughTls) {
  TestServer server(tls_server(files, client));
  const auto alice = register_over_https(server.port(), client, "alice_tls_upload");
  std::string bytes(300'000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131 + i / 7) & 0xff);

  HttpRequest upload;
  upload.method = "POST";
  upload.target = "/v1/uploads?name=data.bin";
  upload.body = bytes;
  upload.bearer = alice.access_token;
  upload.headers = {{"Content-Type", "application/octet-stream"}};
  auto stored = send_https(server.port(), upload, client);
  ASSERT_EQ(stored.status, 201) << stored.body;
  const auto id = get_str(get_obj(stored.object(), "upload"), "upload_id");

  HttpRequest download;
  download.target = "/v1/uploads/" + id;
  download.bearer = alice.access_token;
  auto whole = send_https(server.port(), download, client);
  ASSERT_EQ(whole.status, 200);
  EXPECT_TRUE(whole.body == bytes);

  download.headers = {{"Range", "bytes=1000-1999"}};
  auto slice = send_https(server.port(), download, client);
  ASSERT_EQ(slice.status, 206);
  EXPECT_TRUE(slice.body == bytes.substr(1000, 1000));
}

TEST_F(TlsTest, SighupServesTheRenewedCertificateWhileOpenConnectionsStay) {
  TestServer server(tls_server(files, client));
  const auto alice = register_over_https(server.port(), client, "alice_tls_renew");
  WssClient open_before(server.port(), "/v1/ws?token=" + alice.access_token, client);
  open_before.wait_event("ready");

  // A renewal by another CA, so that which certificate a connection got is plain to see.
  TestCertificateAuthority next_ca("Parley test CA, next");
  next_ca.issue(dir.path(), "server");
  server.signal(SIGHUP);
  ASSERT_TRUE(wait_until_trusted(server.port(), trusting(next_ca))) << server.log();
  EXPECT_FALSE(tls_handshake_failure(server.port(), client).empty());

  // The connection opened before the renewal goes on working.
  auto me = open_before.request("me");
  EXPECT_EQ(me.at("ok"), true) << json::serialize(me);
  EXPECT_EQ(get_int(get_obj(me, "data"), "id"), alice.id);
}

TEST_F(TlsTest, AReloadThatFailsKeepsTheCertificateInUse) {
  TestServer server(tls_server(files, client));
  { std::ofstream(files.private_key, std::ios::trunc) << "not a key\n"; }
  server.signal(SIGHUP);
  for (int attempt = 0; attempt < 200 && server.log().find("TLS certificate was not reloaded") == std::string::npos; ++attempt)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_NE(server.log().find("TLS certificate was not reloaded"), std::string::npos) << server.log();
  EXPECT_EQ(tls_handshake_failure(server.port(), client), "");
  EXPECT_TRUE(https_healthz_ok(server.port(), client));
}

TEST_F(TlsTest, AKeyThatDoesNotMatchTheCertificateStopsTheStart) {
  auto other = ca.issue(dir.path(), "other");
  ServerCertificateFiles mismatched{files.certificate_chain, other.private_key};
  try {
    TestServer server(tls_server(mismatched, client));
    FAIL() << "parleyd started with a key that does not match its certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot use the TLS private key"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace parley::test
