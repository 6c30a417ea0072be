#pragma once
// Helpers for the C API's tests: a parley_client handle against a real parleyd, driven with
// JSON as an app in another language would. Only libparley.so's exported functions are used.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <parley/parley.h>

#include "support/scratch_dir.hpp"
#include "support/test_server.hpp"

namespace parley::c_api_test {

namespace json = boost::json;
using test::ScratchDir;
using test::TestServer;

// A string the library returned, parsed and freed.
json::object take(char* text);

// The open options for a test client: quick reconnects, plus `more` fields.
std::string options_for(const TestServer& server, const std::filesystem::path& dir, const json::object& more = {});

class CClient {
 public:
  CClient(const TestServer& server, const std::filesystem::path& dir, const json::object& more_options = {});
  ~CClient();
  CClient(const CClient&) = delete;
  CClient& operator=(const CClient&) = delete;

  [[nodiscard]] parley_client* handle() const { return handle_; }

  json::object execute(const json::object& request);
  // execute, which must answer ok; its data. Throws (failing the test) otherwise.
  json::value data(const json::object& request);
  void send(const json::object& request);
  // The room's local history (the messages request), as a value of its own.
  json::array messages(std::int64_t room);

  // Receives until an update satisfies `wanted`, keeping the others in seen(); nullopt when
  // nothing came for `quiet_seconds`: a bound so that a broken client fails the test instead of
  // hanging it, never a measure of speed.
  std::optional<json::object> receive_until(const std::function<bool(const json::object&)>& wanted,
                                            double quiet_seconds = 15);
  // The answer whose @extra is `extra`.
  json::object answer_to(const json::value& extra);
  [[nodiscard]] const std::vector<json::object>& seen() const { return seen_; }

  // register (password "password-NAME"), connect, wait_online; the user.
  json::object sign_up_online(const std::string& username);

 private:
  parley_client* handle_ = nullptr;
  std::vector<json::object> seen_;
};

// Whether an answer is the error `code` and its message names `field`.
::testing::AssertionResult is_error(const json::object& answer, const std::string& code, const std::string& field = "");

}  // namespace parley::c_api_test
