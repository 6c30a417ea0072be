// Webhook endpoints as configured, and their signatures, against Standard Webhooks' own example.
#include <gtest/gtest.h>

#include "server/service/webhook_endpoint.hpp"
#include "server/service/webhook_signature.hpp"

namespace parley::service {
namespace {

constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

TEST(WebhookSignature, MatchesTheStandardsExample) {
  auto key = decode_webhook_secret(kSecret);
  ASSERT_TRUE(key);
  EXPECT_EQ(webhook_signature(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, RefusesSecretsThatAreNotWhsecBase64OrTooShort) {
  EXPECT_FALSE(decode_webhook_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_FALSE(decode_webhook_secret("whsec_not base64!"));
  EXPECT_FALSE(decode_webhook_secret("whsec_c2hvcnQ="));  // "short"
}

TEST(WebhookEndpoint, ReadsUrlEventsAndSecret) {
  auto endpoint = parse_webhook_endpoint("https://example.com/hook events=message.created,room.created secret=" +
                                         std::string(kSecret));
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://example.com/hook");
  EXPECT_TRUE(endpoint->wants("room.created"));
  EXPECT_FALSE(endpoint->wants("user.created"));
  auto all = parse_webhook_endpoint("http://127.0.0.1:9/h events=* secret=" + std::string(kSecret));
  ASSERT_TRUE(all);
  for (auto type : webhook_event_types()) EXPECT_TRUE(all->wants(type)) << type;
}

TEST(WebhookEndpoint, RefusesWhatItCannotRead) {
  const std::string secret = " secret=" + std::string(kSecret);
  EXPECT_FALSE(parse_webhook_endpoint("events=*" + secret));                          // no URL
  EXPECT_FALSE(parse_webhook_endpoint("ftp://x/h events=*" + secret));                // not http
  EXPECT_FALSE(parse_webhook_endpoint("http://x/h" + secret));                        // no events
  EXPECT_FALSE(parse_webhook_endpoint("http://x/h events=message.exploded" + secret));  // unknown type
  EXPECT_TRUE(parse_webhook_endpoint("http://x/h events=message.edited,message.deleted,reaction.added" + secret));
  EXPECT_FALSE(parse_webhook_endpoint("http://x/h events=*"));                        // no secret
}

TEST(WebhookEndpoint, RefusesOneUrlSetTwice) {
  const std::string secret = " secret=" + std::string(kSecret);
  auto two = parse_webhook_endpoints({"http://x/a events=*" + secret, "http://x/b events=room.created" + secret});
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  auto twice = parse_webhook_endpoints({"http://x/a events=*" + secret, "http://x/a events=room.created" + secret});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::invalid_payload);
}

}  // namespace
}  // namespace parley::service
