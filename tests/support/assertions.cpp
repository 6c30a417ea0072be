#include "support/assertions.hpp"

#include <boost/json.hpp>

namespace parley::test {
namespace {

namespace json = boost::json;

// The error object's shape, shared by WebSocket replies and HTTP bodies; "" when it is right.
std::string error_shape_problem(const json::value* error, std::string_view code) {
  if (!error || !error->is_object()) return "no \"error\" object";
  const json::object& e = error->get_object();
  const json::value* got_code = e.if_contains("code");
  const json::value* message = e.if_contains("message");
  if (!got_code || !got_code->is_string()) return "error.code is missing or not a string";
  if (got_code->get_string() != code) return "error.code is not \"" + std::string(code) + "\"";
  if (!message || !message->is_string()) return "error.message is missing or not a string";
  if (message->get_string().empty()) return "error.message is empty";
  return {};
}

}  // namespace

::testing::AssertionResult is_ok(const WsReply& reply) {
  const json::value* data = reply.frame.if_contains("data");
  if (reply.ok() && data && data->is_object()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected a successful reply, got " << reply.dump();
}

::testing::AssertionResult is_error(const WsReply& reply, std::string_view code) {
  const json::value* ok = reply.frame.if_contains("ok");
  if (!ok || *ok != false)
    return ::testing::AssertionFailure() << "expected \"ok\": false with error " << code << ", got "
                                         << reply.dump();
  std::string problem = error_shape_problem(reply.frame.if_contains("error"), code);
  if (problem.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected error " << code << ": " << problem << ", got "
                                       << reply.dump();
}

::testing::AssertionResult is_http_ok(const HttpResponse& res, int status) {
  if (res.status == status && res.json.is_object()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected HTTP " << status << " with a JSON object, got HTTP "
                                       << res.status << " " << res.body;
}

::testing::AssertionResult is_http_error(const HttpResponse& res, int status, std::string_view code) {
  std::string problem;
  if (res.status != status) {
    problem = "the status is not " + std::to_string(status);
  } else if (!res.header("content-type").starts_with("application/json")) {
    problem = "Content-Type is \"" + res.header("content-type") + "\", not application/json";
  } else if (!res.json.is_object()) {
    problem = "the body is not a JSON object";
  } else {
    problem = error_shape_problem(res.json.get_object().if_contains("error"), code);
  }
  if (problem.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected HTTP " << status << " error " << code << ": "
                                       << problem << "; got HTTP " << res.status << " " << res.body;
}

}  // namespace parley::test
