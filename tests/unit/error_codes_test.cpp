// The one table of error codes: every code has a distinct wire name that reads back as itself.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/error.hpp"

namespace parley {
namespace {

TEST(ErrorCodes, EveryNameReadsBackAsItsCode) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::tls_certificate); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    const std::string name(to_string(code));
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name << " names two codes";
    EXPECT_EQ(error_code_named(name), code) << name;
  }
}

TEST(ErrorCodes, UnknownNamesAreNoCode) {
  EXPECT_EQ(error_code_named("no_such_code"), std::nullopt);
  EXPECT_EQ(error_code_named(""), std::nullopt);
  EXPECT_EQ(error_code_named("NOT_FOUND"), std::nullopt);
}

TEST(ErrorCodes, KindsAreWhatClientsActOn) {
  EXPECT_EQ(kind_of(ErrorCode::tls_certificate), ErrorKind::network);
  EXPECT_EQ(kind_of(ErrorCode::invalid_credentials), ErrorKind::unauthorized);
  EXPECT_EQ(kind_of(ErrorCode::own_accounts_disabled), ErrorKind::forbidden);
  EXPECT_EQ(kind_of(ErrorCode::last_admin), ErrorKind::conflict);
  EXPECT_EQ(kind_of(ErrorCode::unavailable), ErrorKind::server);
}

}  // namespace
}  // namespace parley
