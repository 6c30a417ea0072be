#pragma once
// GoogleTest predicates for the server's answers. On failure they print the whole frame or body,
// so a failing expectation shows what the server actually said.
//
//   EXPECT_TRUE(is_error(ws.request("rooms.rename", ...), "forbidden"));
//   EXPECT_TRUE(is_http_error(res, 404, "not_found"));
#include "support/http_client.hpp"
#include "support/ws_client.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace parley::test {

// {"ok": true, "data": {...}}
::testing::AssertionResult is_ok(const WsReply& reply);

// {"ok": false, "error": {"code": code, "message": <not empty>}}
::testing::AssertionResult is_error(const WsReply& reply, std::string_view code);

// Status `status` and a JSON object body.
::testing::AssertionResult is_http_ok(const HttpResponse& res, int status = 200);

// Status `status`, Content-Type application/json and the body
// {"error": {"code": code, "message": <not empty>}}.
::testing::AssertionResult is_http_error(const HttpResponse& res, int status, std::string_view code);

}  // namespace parley::test
