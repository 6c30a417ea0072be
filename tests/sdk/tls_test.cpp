// The SDK over TLS (https://, wss://) against parleyd's own TLS, with a CA the test makes: the
// app's CA file is trusted, and a certificate from any other CA is refused with its own code.
#include <algorithm>
#include <fstream>

#include "sdk_fixture.hpp"
#include "support/test_certificates.hpp"
#include "support/tls_client.hpp"

namespace parley::sdk_test {
namespace {

test::TestServerOptions tls_server(const test::ServerCertificateFiles& files, const test::TestCertificateAuthority& ca) {
  test::TlsClientOptions probe{.trusted_ca_pem = ca.certificate_pem()};
  return {.extra_flags = {"--tls-cert", files.certificate_chain.string(), "--tls-key", files.private_key.string()},
          .ready_probe = [probe](int port) {
            try {
              test::HttpRequest request;
              request.target = "/healthz";
              request.timeout = std::chrono::seconds(2);
              return test::send_https(port, request, probe).status == 200;
            } catch (const std::exception&) {
              return false;  // not listening yet
            }
          }};
}

std::filesystem::path write_pem(const std::filesystem::path& path, const std::string& pem) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << pem;
  return path;
}

std::unique_ptr<Client> open_tls_client(int port, const std::filesystem::path& ca_file, const std::filesystem::path& dir) {
  ClientOptions options;
  options.server = "https://localhost:" + std::to_string(port);
  options.ca_file = ca_file;
  options.data_dir = dir;
  options.reconnect_min = 50ms;
  options.reconnect_max = 500ms;
  return must(Client::open(options), "open the client");
}

TEST(SdkTls, MessagesAndFilesGoOverHttpsAndWssWithTheAppsCa) {
  ScratchDir dirs;
  test::TestCertificateAuthority ca("Parley SDK test CA");
  const auto files = ca.issue(dirs.sub("certificates"), "server");
  const auto ca_file = write_pem(dirs.sub("certificates") / "ca.pem", ca.certificate_pem());
  test::TestServer server(tls_server(files, ca));

  auto alice = open_tls_client(server.port(), ca_file, dirs.sub("alice"));
  auto bob = open_tls_client(server.port(), ca_file, dirs.sub("bob"));
  must(alice->register_account("alice", "password-alice"), "register over https");
  must(bob->register_account("bob", "password-bob"), "register over https");
  alice->connect();
  bob->connect();
  ASSERT_TRUE(alice->wait_online(15s));
  ASSERT_TRUE(bob->wait_online(15s));

  Room room = must(alice->direct_room("bob"), "direct room over wss");
  must(alice->send_text(room.id, "over TLS"), "send");
  const auto file = write_pem(dirs.sub("files") / "note.txt", "a file over https");
  must(alice->send_file(room.id, file), "send a file");
  ASSERT_TRUE(alice->wait_outbox_empty(15s));
  ASSERT_TRUE(eventually([&] { return bob->messages(room.id).size() == 2; }));
  auto got = bob->messages(room.id);
  EXPECT_EQ(got[0].text, "over TLS");
  auto downloaded = must(bob->download(got[1]), "download over https");
  std::ifstream in(downloaded);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "a file over https");
}

TEST(SdkTls, ACertificateFromAnotherCaIsRefusedWithItsOwnCode) {
  ScratchDir dirs;
  test::TestCertificateAuthority ca("Parley SDK test CA");
  test::TestCertificateAuthority stranger("Some other CA");
  const auto files = ca.issue(dirs.sub("certificates"), "server");
  const auto wrong_ca = write_pem(dirs.sub("certificates") / "other.pem", stranger.certificate_pem());
  test::TestServer server(tls_server(files, ca));

  auto client = open_tls_client(server.port(), wrong_ca, dirs.sub("client"));
  std::vector<Error> reported;
  client->set_observer({.error = [&](const Error& e) { reported.push_back(e); }});
  auto refused = client->register_account("alice", "password-alice");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::tls_certificate) << refused.error().message;
  EXPECT_EQ(refused.error().kind(), ErrorKind::network);
  // The WebSocket is refused the same way, and the app hears why.
  client->connect();
  EXPECT_TRUE(eventually([&] {
    client->drain();
    return std::ranges::any_of(reported, [](const Error& e) { return e.code == ErrorCode::tls_certificate; });
  }));
  EXPECT_NE(client->connection_state(), ConnectionState::online);
  client->disconnect();

  // A CA file that cannot be read is refused when the client is opened.
  ClientOptions options;
  options.server = "https://localhost:" + std::to_string(server.port());
  options.ca_file = dirs.sub("nowhere") / "ca.pem";
  options.data_dir = dirs.sub("other");
  EXPECT_FALSE(Client::open(options).has_value());
}

TEST(SdkTls, PlainHttpStillWorks) {
  test::TestServer server;
  ScratchDir dirs;
  auto alice = online_client(server, dirs.sub("alice"), "alice");
  EXPECT_EQ(server.base_url().rfind("http://", 0), 0u);
  EXPECT_EQ(alice->connection_state(), ConnectionState::online);
}

}  // namespace
}  // namespace parley::sdk_test
