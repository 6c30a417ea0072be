// The examples run from top to bottom against a real server and succeed.
#include <sys/wait.h>
#include <unistd.h>

#include "sdk_fixture.hpp"

namespace parley::sdk_test {
namespace {

int run(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

TEST(SdkExamples, TheCppExampleRuns) {
  test::TestServer server;
  ScratchDir dir;
  EXPECT_EQ(run({EXAMPLE_CHAT_PATH, server.base_url(), dir.path().string()}), 0);
}

TEST(SdkExamples, TheCExampleRuns) {
  test::TestServer server;
  ScratchDir dir;
  EXPECT_EQ(run({EXAMPLE_C_PATH, server.base_url(), dir.path().string(), "cuser"}), 0);
}

}  // namespace
}  // namespace parley::sdk_test
