// The examples run from top to bottom against a real server and succeed.
#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

TEST(SdkExamples, TheCppExampleRuns) {
  test::TestServer server;
  ScratchDir dir;
  EXPECT_EQ(run_process({EXAMPLE_CHAT_PATH, server.base_url(), dir.path().string()}), 0);
}

TEST(SdkExamples, TheCExampleRuns) {
  test::TestServer server;
  ScratchDir dir;
  EXPECT_EQ(run_process({EXAMPLE_C_PATH, server.base_url(), dir.path().string(), "cuser"}), 0);
}

}  // namespace
}  // namespace parley::sdk_test
