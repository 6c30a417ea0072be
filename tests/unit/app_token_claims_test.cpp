// The checks of an app token's claims once its signature has passed, the names a first-seen
// user gets, and taking a JWT apart: pure functions, no server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/validation.hpp"
#include "server/service/app_token_claims.hpp"
#include "server/service/jwt_parts.hpp"
#include "server/service/jwt_signature.hpp"

namespace parley::service {
namespace {

namespace json = boost::json;

constexpr std::int64_t kNow = 1'800'000'000;

json::object valid_claims() { return {{"sub", "u-1"}, {"iss", "https://idp"}, {"aud", "app"}, {"exp", kNow + 60}}; }

AppClaimRules rules() { return AppClaimRules{.issuer = "https://idp", .audience = "app"}; }

std::string refusal(const json::object& claims, const AppClaimRules& r = rules()) {
  auto user = check_app_claims(claims, r, kNow);
  if (user) return "accepted";
  EXPECT_EQ(user.error().code, ErrorCode::unauthorized);
  return user.error().message;
}

// The key a Realtime connection opens with may be past its expiry; all else is still checked.
TEST(AppTokenClaims, AnExpiryIgnoredStillNeedsTheRestOfTheClaims) {
  json::object claims = valid_claims();
  claims["exp"] = kNow - 3600;
  EXPECT_TRUE(check_app_claims(claims, rules(), kNow, Expiry::ignored));
  claims["aud"] = "another app";
  EXPECT_FALSE(check_app_claims(claims, rules(), kNow, Expiry::ignored));
  claims = valid_claims();
  claims.erase("exp");
  EXPECT_FALSE(check_app_claims(claims, rules(), kNow, Expiry::ignored));
}

TEST(AppTokenClaims, TimesAreCheckedWithTheLeeway) {
  json::object claims = valid_claims();
  claims.erase("exp");
  EXPECT_EQ(refusal(claims), "the access token has no expiry (exp)");
  claims["exp"] = kNow - 30;  // within the minute of leeway
  EXPECT_EQ(refusal(claims), "accepted");
  claims["exp"] = kNow - 61;
  EXPECT_EQ(refusal(claims), "the access token has expired");
  claims["exp"] = "tomorrow";
  EXPECT_EQ(refusal(claims), "the access token has no expiry (exp)");

  claims = valid_claims();
  claims["nbf"] = kNow + 30;
  EXPECT_EQ(refusal(claims), "accepted");
  claims["nbf"] = kNow + 120;
  EXPECT_EQ(refusal(claims), "the access token is not valid yet (nbf)");
  claims = valid_claims();
  claims["iat"] = kNow + 120;
  EXPECT_EQ(refusal(claims), "the access token was issued in the future (iat)");
}

TEST(AppTokenClaims, IssuerAndAudienceAreCheckedWhenSet) {
  json::object claims = valid_claims();
  claims["iss"] = "https://other";
  EXPECT_EQ(refusal(claims), "the access token's issuer (iss) is not https://idp");
  EXPECT_EQ(refusal(claims, AppClaimRules{}), "accepted");

  claims = valid_claims();
  claims["aud"] = json::array{"other", "app"};
  EXPECT_EQ(refusal(claims), "accepted");
  claims["aud"] = json::array{"other"};
  EXPECT_EQ(refusal(claims), "the access token is not meant for this audience (aud): app");
  claims.erase("aud");
  EXPECT_EQ(refusal(claims), "the access token is not meant for this audience (aud): app");
}

TEST(AppTokenClaims, TheUserIdComesFromItsClaim) {
  json::object claims = valid_claims();
  claims.erase("sub");
  EXPECT_EQ(refusal(claims), "the access token names no user (claim sub)");
  claims["uid"] = 42;
  AppClaimRules by_uid = rules();
  by_uid.user_id_claim = "uid";
  EXPECT_EQ(check_app_claims(claims, by_uid, kNow)->external_id, "42");
  claims["meta"] = json::object{{"id", "nested"}};
  by_uid.user_id_claim = "meta.id";
  EXPECT_EQ(check_app_claims(claims, by_uid, kNow)->external_id, "nested");
  claims["sub"] = std::string(256, 'x');
  EXPECT_EQ(refusal(claims), "the access token's user id is longer than 255 bytes");
}

TEST(AppTokenClaims, NamesFallBackFromPreferredUsernameToEmailToTheId) {
  json::object claims = valid_claims();
  EXPECT_EQ(check_app_claims(claims, rules(), kNow)->username, "u-1");
  claims["email"] = "jane.doe@example.com";
  EXPECT_EQ(check_app_claims(claims, rules(), kNow)->username, "jane.doe");
  claims["preferred_username"] = "JaneD";
  EXPECT_EQ(check_app_claims(claims, rules(), kNow)->username, "JaneD");
  AppClaimRules custom = rules();
  custom.username_claim = "nick";
  custom.display_name_claim = "user_metadata.full_name";
  claims["nick"] = "jd";
  claims["user_metadata"] = json::object{{"full_name", "Jane Doe"}};
  auto user = check_app_claims(claims, custom, kNow);
  EXPECT_EQ(user->username, "jd");
  EXPECT_EQ(user->display_name, "Jane Doe");
  claims["name"] = "   ";
  EXPECT_EQ(check_app_claims(claims, rules(), kNow)->display_name, "");  // blank: the username stands in
}

TEST(AppTokenClaims, UsernamesAreMadeValid) {
  EXPECT_EQ(domain::username_from("Jane.Doe+news"), "jane.doenews");
  EXPECT_EQ(domain::username_from(""), "user");
  EXPECT_EQ(domain::username_from("Zé"), "userz");
  EXPECT_EQ(domain::username_from("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"), "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f");
  const std::string numbered = domain::username_from(std::string(40, 'a'), "-12");
  EXPECT_EQ(numbered.size(), 32u);
  EXPECT_TRUE(numbered.ends_with("a-12"));
  EXPECT_TRUE(domain::normalize_username(numbered));
}

TEST(JwtParts, AreTakenApartOrRefused) {
  // {"alg":"RS256","kid":"k1"} . {"sub":"1"} . "sig"
  auto parts = parse_jwt("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxIn0.c2ln");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->alg, "RS256");
  EXPECT_EQ(parts->kid, "k1");
  EXPECT_EQ(parts->signature, "sig");
  EXPECT_EQ(parts->signing_input, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxIn0");
  for (std::string_view bad : {"", "a.b", "a.b.c.d", "!!!.eyJzdWIiOiIxIn0.c2ln", "eyJhbGciOiJSUzI1NiJ9.W10.c2ln",
                               "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln="}) {
    auto refused = parse_jwt(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::unauthorized);
  }
  EXPECT_FALSE(parse_jwt(std::string(kMaxJwtBytes + 1, 'a')));
}

TEST(JwtSignature, TheAlgorithmPinsTheKindOfKey) {
  EXPECT_FALSE(jwt_algorithm("none"));
  EXPECT_FALSE(jwt_algorithm("hs256"));
  EXPECT_TRUE(is_hmac(*jwt_algorithm("HS512")));
  EXPECT_EQ(key_kind_for(*jwt_algorithm("RS256")), KeyKind::rsa);
  EXPECT_EQ(key_kind_for(*jwt_algorithm("ES256")), KeyKind::ec_p256);
  EXPECT_EQ(key_kind_for(*jwt_algorithm("ES384")), KeyKind::ec_p384);
  // An RS token never passes as HMAC, whatever the secret.
  EXPECT_FALSE(hmac_signature_matches(JwtAlgorithm::rs256, "secret", "a.b", "sig"));
  EXPECT_FALSE(hmac_signature_matches(JwtAlgorithm::hs256, "", "a.b", ""));
}

}  // namespace
}  // namespace parley::service
