// The shape of an API key, "pk_<id>_<secret>": read before the store is asked, so anything
// else is refused without a look-up.
#include <gtest/gtest.h>

#include "server/service/api_keys.hpp"

namespace parley::service {
namespace {

TEST(ApiKeyFormat, AKeyGivesItsIdAndSecret) {
  auto parts = parse_api_key("pk_42_s3cr3t-with_underscores");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, 42);
  EXPECT_EQ(parts->secret, "s3cr3t-with_underscores");
  EXPECT_TRUE(looks_like_api_key("pk_42_s3cr3t"));
}

TEST(ApiKeyFormat, AnythingElseIsNoKey) {
  for (std::string_view bad : {"", "pk_", "pk__secret", "pk_42", "pk_42_", "pk_x_secret", "pk_-1_secret", "pk_0_secret",
                               "pk_99999999999999999999_secret", "pk_4 2_secret", "eyJhbGciOiJIUzI1NiJ9.e30.sig",
                               "PK_42_secret"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_api_key(bad));
  }
  // A user's token is never taken for a key, nor a key for a user's token.
  EXPECT_FALSE(looks_like_api_key("eyJhbGciOiJIUzI1NiJ9.e30.sig"));
}

}  // namespace
}  // namespace parley::service
