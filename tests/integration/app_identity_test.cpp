// Signing in with the app's own identity provider: its RS256 and ES256 tokens checked with the
// keys of a JWK Set that a small HTTP server of the test serves, its HS256 tokens (Supabase's)
// with a shared secret; users created on first sight and found again; every bad token refused
// with `unauthorized`; keys rotated at the provider found by fetching the set again; and the
// server's own accounts switched off.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"
#include "support/jwks_server.hpp"
#include "support/jwt_minter.hpp"
#include "support/scratch_dir.hpp"
#include "support/test_certificates.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr std::string_view kIssuer = "https://idp.example.test";
constexpr std::string_view kAudience = "parley-test";

// What a provider puts in a token for `subject`, valid for an hour.
json::object provider_claims(std::string_view subject) {
  const std::int64_t now = unix_now();
  return {{"iss", kIssuer}, {"aud", kAudience}, {"sub", subject}, {"iat", now}, {"exp", now + 3600}};
}

HttpResponse me(const TestServer& server, const std::string& token) {
  return http_request(server.port(), "GET", "/v1/me", {}, token);
}

class AppIdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa = std::make_unique<SigningKey>(SigningKey::rsa("rsa-1"));
    ec = std::make_unique<SigningKey>(SigningKey::ec_p256("ec-1"));
    jwks = std::make_unique<JwksServer>();
    jwks->serve({rsa->jwk(), ec->jwk()});
    // Every unknown key id may fetch the set again at once: the rotation test needs no wait.
    server = std::make_unique<TestServer>(std::vector<std::string>{
        "--app-jwks-url", jwks->url(), "--app-jwt-issuer", std::string(kIssuer), "--app-jwt-audience",
        std::string(kAudience), "--app-jwks-min-refetch-ms", "0"});
  }
  static void TearDownTestSuite() {
    server.reset();
    jwks.reset();
    rsa.reset();
    ec.reset();
  }

  static inline std::unique_ptr<SigningKey> rsa;
  static inline std::unique_ptr<SigningKey> ec;
  static inline std::unique_ptr<JwksServer> jwks;
  static inline std::unique_ptr<TestServer> server;
};

TEST_F(AppIdentityTest, RsaAndEcTokensSignIn) {
  for (const SigningKey* key : {rsa.get(), ec.get()}) {
    SCOPED_TRACE(key->alg());
    const std::string subject = unique_username("person");
    HttpResponse res = me(*server, mint_signed(*key, provider_claims(subject)));
    ASSERT_TRUE(is_http_ok(res)) << res.body;
    EXPECT_GT(get_int(res.object(), "id"), 0);
    EXPECT_EQ(get_str(res.object(), "username"), subject);
  }
}

TEST_F(AppIdentityTest, AUserSeenForTheFirstTimeIsCreatedAndFoundAgainByLaterTokens) {
  const std::string subject = "idp|" + unique_username("first");
  json::object claims = provider_claims(subject);
  claims["preferred_username"] = "Ada.Lovelace";
  claims["name"] = "Ada Lovelace";
  HttpResponse first = me(*server, mint_signed(*rsa, claims));
  ASSERT_TRUE(is_http_ok(first)) << first.body;
  const std::int64_t id = get_int(first.object(), "id");
  EXPECT_EQ(get_str(first.object(), "display_name"), "Ada Lovelace");
  EXPECT_TRUE(get_str(first.object(), "username").starts_with("ada.lovelace")) << first.body;

  // Another token of the same person, with another key and other names: the same user.
  claims["preferred_username"] = "someone_else";
  HttpResponse second = me(*server, mint_signed(*ec, claims));
  ASSERT_TRUE(is_http_ok(second)) << second.body;
  EXPECT_EQ(get_int(second.object(), "id"), id);
  EXPECT_EQ(get_str(second.object(), "username"), get_str(first.object(), "username"));

  // The same wished name for another person: a username of their own.
  json::object other = provider_claims("idp|" + unique_username("second"));
  other["preferred_username"] = "Ada.Lovelace";
  HttpResponse third = me(*server, mint_signed(*rsa, other));
  ASSERT_TRUE(is_http_ok(third)) << third.body;
  EXPECT_NE(get_int(third.object(), "id"), id);
  EXPECT_NE(get_str(third.object(), "username"), get_str(first.object(), "username"));
}

TEST_F(AppIdentityTest, AppTokensOpenWebSocketsThatSendMessages) {
  const std::string rsa_token = mint_signed(*rsa, provider_claims(unique_username("ws_rsa")));
  const std::string ec_token = mint_signed(*ec, provider_claims(unique_username("ws_ec")));
  const std::int64_t ec_user = get_int(me(*server, ec_token).object(), "id");

  // With the token in the URL, and with an auth frame.
  WsClient by_url(server->port(), "/v1/ws?token=" + rsa_token);
  Event ready = by_url.next_event("ready");
  EXPECT_GT(get_int(get_obj(ready.data, "user"), "id"), 0);
  WsClient by_frame(server->port());
  ASSERT_TRUE(is_ok(by_frame.auth(ec_token)));

  const std::int64_t room = create_group(by_url, "app identity", {ec_user});
  send_text(by_url, room, "hello from the app's identity", "app-1");
  json::object received = wait_message(by_frame, room, "app-1");
  EXPECT_EQ(get_str(received, "text"), "hello from the app's identity");
}

TEST_F(AppIdentityTest, BadTokensAreUnauthorized) {
  const std::string subject = unique_username("bad");
  json::object expired = provider_claims(subject);
  expired["iat"] = unix_now() - 7200;
  expired["exp"] = unix_now() - 3600;
  json::object wrong_issuer = provider_claims(subject);
  wrong_issuer["iss"] = "https://elsewhere.example.test";
  json::object wrong_audience = provider_claims(subject);
  wrong_audience["aud"] = "another-app";
  json::object no_expiry = provider_claims(subject);
  no_expiry.erase("exp");

  const SigningKey stranger = SigningKey::rsa("rsa-1");  // the right kid, another key
  const std::vector<std::pair<std::string, std::string>> tokens{
      {"expired", mint_signed(*rsa, expired)},
      {"wrong issuer", mint_signed(*ec, wrong_issuer)},
      {"wrong audience", mint_signed(*rsa, wrong_audience)},
      {"no expiry", mint_signed(*rsa, no_expiry)},
      {"unknown kid", mint_signed(*rsa, provider_claims(subject), {{"kid", "nobody-has-this"}})},
      {"alg none", mint_unsigned(provider_claims(subject))},
      // The public key is no secret: an HS256 token keyed with it must not pass for the RSA key's.
      {"HS256 with the RSA public key", mint_hmac({{"alg", "HS256"}, {"kid", "rsa-1"}}, provider_claims(subject),
                                                   rsa->public_pem())},
      {"another key's signature", mint_signed(stranger, provider_claims(subject))},
      {"RS256 named on the EC key", mint_signed(*rsa, provider_claims(subject), {{"kid", "ec-1"}})},
      {"not a JWT", "not-a-token"},
  };
  for (const auto& [what, token] : tokens) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(is_http_error(me(*server, token), 401, "unauthorized"));
    WsClient ws(server->port());
    EXPECT_TRUE(is_error(ws.auth(token), "unauthorized"));
  }
  // None of them made a user.
  HttpResponse found = http_request(server->port(), "GET", "/v1/users/" + subject, {},
                                    mint_signed(*rsa, provider_claims(unique_username("looker"))));
  EXPECT_TRUE(is_http_error(found, 404, "not_found"));
}

TEST_F(AppIdentityTest, AKeyTheProviderStartsServingIsFoundByFetchingTheSetAgain) {
  const SigningKey rotated = SigningKey::ec_p256("ec-2");
  const std::string token = mint_signed(rotated, provider_claims(unique_username("rotated")));
  EXPECT_TRUE(is_http_error(me(*server, token), 401, "unauthorized"));

  const int fetched_before = jwks->requests();
  jwks->serve({rsa->jwk(), ec->jwk(), rotated.jwk()});
  HttpResponse res = me(*server, token);
  ASSERT_TRUE(is_http_ok(res)) << res.body;
  EXPECT_GT(jwks->requests(), fetched_before);
  // The keys held before stay good.
  EXPECT_TRUE(is_http_ok(me(*server, mint_signed(*rsa, provider_claims(unique_username("still"))))));
}

TEST_F(AppIdentityTest, OwnAccountsWorkBesideTheApps) {
  Account own = register_user(*server, "own");
  HttpResponse res = me(*server, own.access_token);
  ASSERT_TRUE(is_http_ok(res)) << res.body;
  EXPECT_EQ(get_int(res.object(), "id"), own.id);
}

TEST(AppIdentityFile, KeysComeFromAJwkSetFile) {
  const SigningKey key = SigningKey::rsa("file-rsa");
  ScratchDir dir;
  const auto path = dir.sub("jwks.json");
  std::ofstream(path) << json::serialize(json::object{{"keys", json::array{key.jwk()}}});
  TestServer server({"--app-jwks-file", path.string()});
  json::object claims{{"sub", unique_username("filed")}, {"exp", unix_now() + 600}};
  EXPECT_TRUE(is_http_ok(me(server, mint_signed(key, claims))));
  // Issuer and audience are checked only when set; the signature always.
  EXPECT_TRUE(is_http_error(me(server, mint_signed(SigningKey::rsa("file-rsa"), claims)), 401, "unauthorized"));
}

// SSL_CERT_FILE set while it lives: the CA file OpenSSL's default verify paths read, which a
// parleyd started meanwhile inherits.
class TrustedCaFile {
 public:
  explicit TrustedCaFile(const std::filesystem::path& file) { ::setenv("SSL_CERT_FILE", file.c_str(), 1); }
  ~TrustedCaFile() { ::unsetenv("SSL_CERT_FILE"); }
  TrustedCaFile(const TrustedCaFile&) = delete;
  TrustedCaFile& operator=(const TrustedCaFile&) = delete;
};

TEST(AppIdentityHttps, KeysComeFromAnHttpsUrlWhoseCertificateIsChecked) {
  ScratchDir dir;
  TestCertificateAuthority ca{"Parley test identity provider CA"};
  JwksServer jwks(ca.issue(dir.path(), "idp", {"localhost"}));
  const SigningKey key = SigningKey::ec_p256("tls-ec");
  jwks.serve({key.jwk()});
  const auto ca_file = dir.sub("ca.pem");
  std::ofstream(ca_file) << ca.certificate_pem();
  const std::vector<std::string> flags{"--app-jwks-url", jwks.url()};
  const json::object claims{{"sub", unique_username("tls")}, {"exp", unix_now() + 600}};

  // A server that trusts the provider's CA fetches its keys.
  std::unique_ptr<TestServer> trusting;
  {
    TrustedCaFile trust(ca_file);
    trusting = std::make_unique<TestServer>(flags);
  }
  EXPECT_TRUE(is_http_ok(me(*trusting, mint_signed(key, claims))));

  // One that does not refuses the provider's certificate, so it has no keys to check with.
  TestServer distrusting(flags);
  EXPECT_TRUE(is_http_error(me(distrusting, mint_signed(key, claims)), 401, "unauthorized"));
}

// A Supabase Auth access token: HS256 with the project's JWT secret, sub a UUID, aud and role
// "authenticated", and the email.
json::object supabase_claims(std::string_view uuid, std::string_view email) {
  const std::int64_t now = unix_now();
  return {{"iss", "https://abcdefgh.supabase.co/auth/v1"},
          {"sub", uuid},
          {"aud", "authenticated"},
          {"exp", now + 3600},
          {"iat", now},
          {"email", email},
          {"phone", ""},
          {"app_metadata", {{"provider", "email"}, {"providers", json::array{"email"}}}},
          {"user_metadata", json::object{}},
          {"role", "authenticated"},
          {"aal", "aal1"},
          {"amr", json::array{json::object{{"method", "password"}, {"timestamp", now}}}},
          {"session_id", "5b8f3a52-7c1e-4f0e-9d5a-0c3f1f0a9e11"},
          {"is_anonymous", false}};
}

constexpr std::string_view kSupabaseSecret = "super-secret-jwt-token-with-at-least-32-characters-long";

TEST(AppIdentitySupabase, SupabaseTokensSignInWithOnlyTheProjectsSecret) {
  TestServer server({"--app-jwt-secret", std::string(kSupabaseSecret)});
  const json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  const std::string uuid = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
  HttpResponse res = me(server, mint_hmac(header, supabase_claims(uuid, "jane.doe@example.com"), kSupabaseSecret));
  ASSERT_TRUE(is_http_ok(res)) << res.body;
  EXPECT_EQ(get_str(res.object(), "username"), "jane.doe");
  const std::int64_t id = get_int(res.object(), "id");

  // Her next token: the same user. Another Jane Doe: a username of her own.
  EXPECT_EQ(get_int(me(server, mint_hmac(header, supabase_claims(uuid, "jane.doe@example.com"), kSupabaseSecret)).object(), "id"), id);
  HttpResponse other = me(server, mint_hmac(header, supabase_claims("0a1b2c3d-0000-4000-8000-000000000001",
                                                                     "jane.doe@elsewhere.test"),
                                             kSupabaseSecret));
  ASSERT_TRUE(is_http_ok(other)) << other.body;
  EXPECT_NE(get_int(other.object(), "id"), id);
  EXPECT_EQ(get_str(other.object(), "username"), "jane.doe-2");

  // HS384 and HS512 with the same secret; and a token signed with another secret is refused.
  for (std::string_view alg : {"HS384", "HS512"})
    EXPECT_TRUE(is_http_ok(me(server, mint_hmac({{"alg", alg}}, supabase_claims(uuid, "jane.doe@example.com"), kSupabaseSecret))));
  EXPECT_TRUE(is_http_error(me(server, mint_hmac(header, supabase_claims(uuid, "x@y.z"), "another-secret-of-32-characters-or-more")),
                            401, "unauthorized"));
  // RS and ES tokens need a key set this server was not given.
  EXPECT_TRUE(is_http_error(me(server, mint_signed(SigningKey::ec_p256("k"), supabase_claims(uuid, "x@y.z"))), 401,
                            "unauthorized"));
}

TEST(AppIdentityOwnAccountsOff, RegistrationAndPasswordLoginAreRefused) {
  TestServer server({"--app-jwt-secret", std::string(kSupabaseSecret), "--own-accounts", "off"});
  HttpResponse registered = http_json(server.port(), "POST", "/v1/auth/register",
                                      {{"username", unique_username("nobody")}, {"password", kPassword}});
  EXPECT_TRUE(is_http_error(registered, 403, "own_accounts_disabled"));
  HttpResponse logged_in = http_json(server.port(), "POST", "/v1/auth/login",
                                     {{"username", "nobody"}, {"password", kPassword}});
  EXPECT_TRUE(is_http_error(logged_in, 403, "own_accounts_disabled"));
  // The app's users still sign in.
  const json::object header{{"alg", "HS256"}, {"typ", "JWT"}};
  EXPECT_TRUE(is_http_ok(me(server, mint_hmac(header, supabase_claims("7e2d4c1a-1111-4222-8333-944455556666", "solo@example.com"), kSupabaseSecret))));
}

}  // namespace
}  // namespace parley::test
