// The Web Push request as a push service receives it: a VAPID token that verifies with the
// public key in the same header and has the claims RFC 8292 asks for, and the RFC 8030 headers.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include <map>

#include "server/service/jwk_key.hpp"
#include "server/service/jwt_parts.hpp"
#include "server/service/jwt_signature.hpp"
#include "server/service/vapid_token.hpp"
#include "server/service/web_push.hpp"

namespace parley::service {
namespace {

const WebPushSubscription kSubscription{
    "https://Push.Example.NET:8443/wpush/v2/abc?x=1",
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    "BTBZMqHH6r4Tts7J_aSIgg"};

[[nodiscard]] WebPushSigner make_signer() {
  auto key = P256PrivateKey::generate();
  EXPECT_TRUE(key);
  return WebPushSigner(std::move(*key), "mailto:ops@example.com");
}

[[nodiscard]] std::map<std::string, std::string> headers_of(const WebPushRequest& request) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : request.headers) out[name] = value;
  return out;
}

// The public key of the "k" parameter, as a JWK the server's own token checker reads.
[[nodiscard]] PublicKey key_from_point(std::string_view k) {
  auto point = base64url_decode(k);
  EXPECT_TRUE(point && point->size() == 65);
  boost::json::object jwk{{"kty", "EC"},
                          {"crv", "P-256"},
                          {"x", base64url_encode(point->substr(1, 32))},
                          {"y", base64url_encode(point->substr(33, 32))}};
  auto key = public_key_from_jwk(jwk);
  EXPECT_TRUE(key) << key.error().message;
  return *key;
}

TEST(WebPushRequest, CarriesAVapidTokenThatVerifiesWithItsKey) {
  const WebPushSigner signer = make_signer();
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  auto request = signer.request_at(kSubscription, R"({"body":"hi"})", std::chrono::seconds(3600), "room-42", now);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->url, kSubscription.endpoint);
  auto headers = headers_of(*request);

  const std::string& authorization = headers["Authorization"];
  ASSERT_TRUE(authorization.starts_with("vapid t=")) << authorization;
  const auto comma = authorization.find(", k=");
  ASSERT_NE(comma, std::string::npos);
  const std::string token = authorization.substr(8, comma - 8);
  const std::string k = authorization.substr(comma + 4);
  EXPECT_EQ(k, signer.public_key_base64url());

  auto parts = parse_jwt(token);
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ(parts->alg, "ES256");
  EXPECT_TRUE(key_signature_matches(JwtAlgorithm::es256, key_from_point(k), parts->signing_input, parts->signature));
  EXPECT_EQ(parts->claims.at("aud").as_string(), "https://push.example.net:8443");
  EXPECT_EQ(parts->claims.at("sub").as_string(), "mailto:ops@example.com");
  EXPECT_EQ(parts->claims.at("exp").to_number<std::int64_t>(), 1'800'000'000 + 12 * 3600);

  // A token signed by another key does not verify with this one.
  const WebPushSigner other = make_signer();
  EXPECT_FALSE(key_signature_matches(JwtAlgorithm::es256, key_from_point(other.public_key_base64url()),
                                     parts->signing_input, parts->signature));
}

TEST(WebPushRequest, HasTheHeadersOfRfc8030AndAnEncryptedBody) {
  const WebPushSigner signer = make_signer();
  auto request = signer.request(kSubscription, "hello", std::chrono::seconds(600), "room-42");
  ASSERT_TRUE(request) << request.error().message;
  auto headers = headers_of(*request);
  EXPECT_EQ(headers["Content-Encoding"], "aes128gcm");
  EXPECT_EQ(headers["Content-Type"], "application/octet-stream");
  EXPECT_EQ(headers["TTL"], "600");
  EXPECT_EQ(headers["Urgency"], "normal");
  EXPECT_EQ(headers["Topic"], "room-42");
  EXPECT_EQ(request->body.size(), 86u + 5 + 1 + 16);
  EXPECT_EQ(request->body.find("hello"), std::string::npos);

  auto untopical = signer.request(kSubscription, "hello", std::chrono::seconds(0), "");
  ASSERT_TRUE(untopical);
  EXPECT_FALSE(headers_of(*untopical).contains("Topic"));
  EXPECT_EQ(headers_of(*untopical)["TTL"], "0");
}

TEST(WebPushRequest, TopicsThatAreNotValidAreHashedToOne) {
  EXPECT_EQ(web_push_topic("abc_DEF-123"), "abc_DEF-123");
  const std::string hashed = web_push_topic("room:0196f0a2-7c1e-7d3a-9e2b-1a2b3c4d5e6f");
  EXPECT_EQ(hashed.size(), kMaxWebPushTopicChars);
  EXPECT_EQ(hashed, web_push_topic("room:0196f0a2-7c1e-7d3a-9e2b-1a2b3c4d5e6f"));
  EXPECT_NE(hashed, web_push_topic("room:0196f0a2-7c1e-7d3a-9e2b-1a2b3c4d5e70"));
  EXPECT_EQ(web_push_topic(""), "");
}

TEST(WebPushRequest, RefusesSubscriptionsItCannotUse) {
  const WebPushSigner signer = make_signer();
  auto with = [&](auto change) {
    WebPushSubscription subscription = kSubscription;
    change(subscription);
    return signer.request(subscription, "x", std::chrono::seconds(60), "");
  };
  EXPECT_FALSE(with([](auto& s) { s.endpoint = "http://push.example.net/abc"; }));
  EXPECT_FALSE(with([](auto& s) { s.endpoint = "push.example.net/abc"; }));
  EXPECT_FALSE(with([](auto& s) { s.endpoint = "https://user@push.example.net/abc"; }));
  EXPECT_FALSE(with([](auto& s) { s.p256dh = "not a key"; }));
  EXPECT_FALSE(with([](auto& s) { s.auth = "AAAA"; }));
  EXPECT_TRUE(with([](auto& s) { s.endpoint = "http://127.0.0.1:9000/push/1"; }));
  EXPECT_TRUE(with([](auto& s) { s.auth += "=="; }));
}

TEST(VapidSubject, IsAMailtoOrHttpsUrl) {
  EXPECT_TRUE(check_vapid_subject("mailto:ops@example.com"));
  EXPECT_TRUE(check_vapid_subject("https://example.com/contact"));
  EXPECT_FALSE(check_vapid_subject("ops@example.com"));
  EXPECT_FALSE(check_vapid_subject("http://example.com"));
  EXPECT_FALSE(check_vapid_subject("mailto:"));
  EXPECT_FALSE(check_vapid_subject(""));
}

}  // namespace
}  // namespace parley::service
