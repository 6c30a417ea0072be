#pragma once
// Helpers for the SDK tests: clients with their own data directories against a real parleyd.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <parley/client.hpp>

#include "support/scratch_dir.hpp"
#include "support/test_server.hpp"

namespace parley::sdk_test {

using namespace std::chrono_literals;

// The value of a Result the test needs; fails the test (and stops it) otherwise.
template <class T>
T must(Result<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

using test::ScratchDir;

std::unique_ptr<Client> open_client(const test::TestServer& server, const std::filesystem::path& dir);
// Registers (or logs in) and connects; waits until online and synced.
std::unique_ptr<Client> online_client(const test::TestServer& server, const std::filesystem::path& dir,
                                      const std::string& username, bool register_first = true);

// Alice and Bob, online, with a direct room both have.
struct Pair {
  std::unique_ptr<Client> alice;
  std::unique_ptr<Client> bob;
  Room room;
};
Pair direct_pair(const test::TestServer& server, const ScratchDir& dirs);

// Polls `done` (draining callbacks) until it holds, for at most `limit`: a bound so that a
// broken client fails the test instead of hanging it, never a measure of speed.
// Runs a program to its end; its exit code, or 1000 + the signal that ended it.
int run_process(const std::vector<std::string>& argv);

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 15s);

// Runs SQL on a client's local database beside the client, as another program (or a full disk)
// could change it under the SDK.
void run_local_sql(const std::filesystem::path& data_dir, const std::string& sql);
// The first column of each row a query of a client's local database returns, as text.
std::vector<std::string> local_rows(const std::filesystem::path& data_dir, const std::string& sql);

}  // namespace parley::sdk_test
