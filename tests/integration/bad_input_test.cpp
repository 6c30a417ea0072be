// Bad input gets a precise error and never costs the connection (except where the WebSocket
// protocol itself demands a close) nor the server.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace parley::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kFrameLimit = 4096;
constexpr int kBodyLimit = 4096;
constexpr std::size_t kTextLimit = 16 * 1024;

// A server with small frame and body limits; every test must leave it healthy.
class BadInputTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_TRUE(is_http_ok(http_request(server.port(), "GET", "/healthz")))
        << "the server must survive bad input";
  }
  void expect_still_answers() {
    EXPECT_TRUE(is_ok(ws.request("ping"))) << "the connection must stay usable";
  }

  TestServer server{{"--max-frame-bytes", std::to_string(kFrameLimit),
                     "--max-body-bytes", std::to_string(kBodyLimit)}};
  Account alice = register_user(server, "alice");
  WsClient ws = connect(server, alice);
};

const json::value kNullId = nullptr;

// A syntactically valid request of about `size` bytes.
std::string ping_of_size(std::size_t size) {
  std::string frame = R"({"id":"big","op":"ping","pad":")";
  frame.append(size > frame.size() + 2 ? size - frame.size() - 2 : 0, 'x');
  return frame + "\"}";
}

void expect_message_names(const WsReply& reply, std::string_view field) {
  EXPECT_NE(reply.error_message().find(field), std::string::npos)
      << "the message should name \"" << field << "\": " << reply.dump();
}

// ---- WebSocket ---------------------------------------------------------------------------

TEST_F(BadInputTest, MalformedJsonIsAnsweredWithANullId) {
  ws.send_raw("{\"id\": 1, \"op\": \"ping\"");
  EXPECT_TRUE(is_error(ws.wait_reply(kNullId), "malformed_json"));
  ws.send_raw("[1, 2, 3]");  // JSON, but not an object
  EXPECT_TRUE(is_error(ws.wait_reply(kNullId), "malformed_json"));
  ws.send_raw("");
  EXPECT_TRUE(is_error(ws.wait_reply(kNullId), "malformed_json"));
  expect_still_answers();
}

TEST_F(BadInputTest, AnUnknownOpEchoesTheId) {
  ws.send_raw(R"({"id": "mine-1", "op": "rooms.explode"})");
  EXPECT_TRUE(is_error(ws.wait_reply(json::value("mine-1")), "unknown_op"));
  EXPECT_TRUE(is_error(ws.request("no.such.op"), "unknown_op"));
  expect_still_answers();
}

TEST_F(BadInputTest, AStringIdComesBackUnchanged) {
  ws.send_raw(R"({"id": "x-42", "op": "ping"})");
  WsReply reply = ws.wait_reply(json::value("x-42"));
  ASSERT_TRUE(is_ok(reply));
  EXPECT_EQ(reply.frame.at("id"), json::value("x-42"));
  EXPECT_TRUE(reply.data().empty()) << "ping answers {}: " << reply.dump();
}

TEST_F(BadInputTest, AMissingOrMistypedFieldIsInvalidPayloadNamingIt) {
  Account bob = register_user(server, "bob");
  const std::int64_t room_id = direct_room(ws, bob.id);

  WsReply no_room = ws.request("messages.send", {{"client_msg_id", "c-1"}, {"type", "text"}, {"text", "hi"}});
  ASSERT_TRUE(is_error(no_room, "invalid_payload"));
  expect_message_names(no_room, "room_id");

  WsReply room_as_text = ws.request("messages.send", {{"room_id", "three"}, {"client_msg_id", "c-1"},
                                                      {"type", "text"}, {"text", "hi"}});
  ASSERT_TRUE(is_error(room_as_text, "invalid_payload"));
  expect_message_names(room_as_text, "room_id");

  WsReply no_client_id = ws.request("messages.send", {{"room_id", room_id}, {"type", "text"}, {"text", "hi"}});
  ASSERT_TRUE(is_error(no_client_id, "invalid_payload"));
  expect_message_names(no_client_id, "client_msg_id");

  WsReply spaced_id = ws.request("messages.send", {{"room_id", room_id}, {"client_msg_id", "has space"},
                                                   {"type", "text"}, {"text", "hi"}});
  ASSERT_TRUE(is_error(spaced_id, "invalid_payload"));
  expect_message_names(spaced_id, "client_msg_id");

  WsReply text_as_number = ws.request("messages.send", {{"room_id", room_id}, {"client_msg_id", "c-2"},
                                                        {"type", "text"}, {"text", 42}});
  ASSERT_TRUE(is_error(text_as_number, "invalid_payload"));
  expect_message_names(text_as_number, "text");

  WsReply no_username = ws.request("users.get");
  ASSERT_TRUE(is_error(no_username, "invalid_payload"));
  expect_message_names(no_username, "username");

  // None of it was stored.
  EXPECT_TRUE(fetch_history(ws, room_id).empty());
  expect_still_answers();
}

TEST_F(BadInputTest, BinaryFramesHoldingJsonAreAccepted) {
  ws.send_binary(R"({"id": "bin-1", "op": "ping"})");
  EXPECT_TRUE(is_ok(ws.wait_reply(json::value("bin-1"))));
}

TEST_F(BadInputTest, InvalidUtf8InABinaryFrameIsAnErrorAndTheConnectionStays) {
  ws.send_binary("{\"id\": 7, \"op\": \"ping\", \"note\": \"\xff\xfe\xc3\"}");
  EXPECT_TRUE(is_error(ws.wait_reply(kNullId), "invalid_utf8"));
  expect_still_answers();
}

TEST_F(BadInputTest, InvalidUtf8InATextFrameClosesWith1007) {
  ws.send_raw("{\"id\": 7, \"op\": \"ping\", \"note\": \"\xff\xfe\xc3\"}");
  EXPECT_EQ(ws.wait_closed(), 1007);
}

TEST_F(BadInputTest, AFrameOverTheLimitIsAnErrorAndTheConnectionStays) {
  ws.send_raw(ping_of_size(2 * kFrameLimit));
  EXPECT_TRUE(is_error(ws.wait_reply(kNullId), "payload_too_large"));
  // Just under the limit is fine.
  ws.send_raw(ping_of_size(kFrameLimit - 100));
  EXPECT_TRUE(is_ok(ws.wait_reply(json::value("big"))));
  expect_still_answers();
}

TEST_F(BadInputTest, AFrameOverSixteenTimesTheLimitClosesWith1009) {
  ws.send_raw(ping_of_size(16 * kFrameLimit + 1000));
  EXPECT_EQ(ws.wait_closed(), 1009);
}

// ---- HTTP --------------------------------------------------------------------------------

TEST_F(BadInputTest, HttpMalformedJsonBodyIs400) {
  EXPECT_TRUE(is_http_error(http_request(server.port(), "POST", "/v1/auth/login", "{\"username\": "), 400,
                            "malformed_json"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "POST", "/v1/auth/login", "[\"alice\"]"), 400,
                            "malformed_json"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "POST", "/v1/rooms", "{name: Team}", alice.access_token),
                            400, "malformed_json"));
}

TEST_F(BadInputTest, HttpInvalidUtf8BodyIs400) {
  EXPECT_TRUE(is_http_error(http_request(server.port(), "POST", "/v1/auth/login",
                                         "{\"username\": \"\xff\xfe\", \"password\": \"whatever123\"}"),
                            400, "invalid_utf8"));
}

TEST_F(BadInputTest, HttpBodyOverTheLimitIs413) {
  json::object body{{"username", unique_username("big")}, {"password", kPassword},
                    {"display_name", std::string(2 * kBodyLimit, 'x')}};
  EXPECT_TRUE(is_http_error(http_json(server.port(), "POST", "/v1/auth/register", body), 413, "payload_too_large"));
}

// A body far over the limit is still arriving when the server answers. A client sends it all
// and then reads, as Node's fetch does: if the server closed at once, the kernel would reset
// the connection under the unread body and the client would never see the answer (EPIPE).
// Returns the status line, or what went wrong.
std::string send_whole_body_then_read(int port, const std::string& target, std::size_t body_bytes) {
  namespace net = boost::asio;
  net::io_context io;
  net::ip::tcp::socket socket(io);
  socket.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  const std::string header = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                             "Content-Length: " + std::to_string(body_bytes) + "\r\n\r\n";
  boost::system::error_code ec;
  net::write(socket, net::buffer(header), ec);
  const std::string chunk(64 * 1024, 'x');
  for (std::size_t sent = 0; !ec && sent < body_bytes; sent += chunk.size())
    net::write(socket, net::buffer(chunk.data(), std::min(chunk.size(), body_bytes - sent)), ec);
  if (ec) return "the server reset the connection before the body was sent: " + ec.message();
  std::string response;
  char byte = 0;
  while (response.find("\r\n") == std::string::npos && net::read(socket, net::buffer(&byte, 1), ec) == 1) response += byte;
  return ec ? "no answer: " + ec.message() : response.substr(0, response.find("\r\n"));
}

TEST_F(BadInputTest, AnEarlyAnswerToALargeBodyReachesTheClient) {
  constexpr std::size_t kBig = std::size_t{32} << 20;
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_EQ(send_whole_body_then_read(server.port(), "/v1/auth/register", kBig), "HTTP/1.1 413 Payload Too Large")
        << "attempt " << attempt;
    EXPECT_EQ(send_whole_body_then_read(server.port(), "/v1/uploads?name=big.bin", kBig), "HTTP/1.1 401 Unauthorized")
        << "attempt " << attempt << ": an upload refused before its body is read";
  }
}

TEST_F(BadInputTest, HttpMissingFieldIsInvalidPayloadNamingIt) {
  HttpResponse res = http_json(server.port(), "POST", "/v1/rooms/direct", {{"nobody", 1}}, alice.access_token);
  ASSERT_TRUE(is_http_error(res, 400, "invalid_payload"));
  EXPECT_TRUE(res.body.find("user_id") != std::string::npos || res.body.find("username") != std::string::npos)
      << res.body;
}

TEST_F(BadInputTest, HttpUnknownRouteIs404) {
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/nothing-here"), 404, "not_found"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/nothing-here"), 404, "not_found"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/rooms/1/nothing", {}, alice.access_token), 404,
                            "not_found"));
}

TEST_F(BadInputTest, HttpWrongMethodOnAKnownRouteIs405) {
  EXPECT_TRUE(is_http_error(http_request(server.port(), "GET", "/v1/auth/login"), 405, "method_not_allowed"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "DELETE", "/v1/auth/register"), 405, "method_not_allowed"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "POST", "/healthz", "{}"), 405, "method_not_allowed"));
  EXPECT_TRUE(is_http_error(http_request(server.port(), "PUT", "/v1/rooms", "{}", alice.access_token), 405,
                            "method_not_allowed"));
}

// ---- Flooding ----------------------------------------------------------------------------

// The wait a rate_limited reply asks for. The spec puts retry_after_ms on the error; it is also
// accepted beside it, at the top of the reply.
std::optional<std::int64_t> retry_after_ms(const WsReply& reply) {
  for (const json::object* where : {reply.frame.if_contains("error") && reply.frame.at("error").is_object()
                                        ? &reply.frame.at("error").get_object()
                                        : nullptr,
                                    &reply.frame}) {
    if (where && where->contains("retry_after_ms") && where->at("retry_after_ms").is_int64())
      return where->at("retry_after_ms").get_int64();
  }
  return std::nullopt;
}

TEST(RateLimitTest, AFloodIsRateLimitedAndTheSameConnectionRecovers) {
  TestServer server({"--rate-limit", "5", "--rate-burst", "10"});
  Account alice = register_user(server, "alice");
  WsClient ws = connect(server, alice);

  // Far more than the burst, sent before reading any reply.
  std::vector<json::value> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(ws.send_request("ping"));
  int ok = 0;
  int limited = 0;
  std::int64_t retry_after = 0;
  for (const auto& id : ids) {
    WsReply reply = ws.wait_reply(id);
    if (reply.ok()) {
      ++ok;
      continue;
    }
    ++limited;
    ASSERT_TRUE(is_error(reply, "rate_limited"));
    std::optional<std::int64_t> wait = retry_after_ms(reply);
    ASSERT_TRUE(wait.has_value()) << "rate_limited without retry_after_ms: " << reply.dump();
    EXPECT_GT(*wait, 0);
    retry_after = std::max(retry_after, *wait);
  }
  EXPECT_GT(ok, 0) << "the burst allowance should let the first requests through";
  EXPECT_GT(limited, 0) << "60 requests at once must exceed a burst of 10";

  // Once the budget refills, the same connection works again. The loop bound only stops a
  // server that never lets requests through again.
  bool recovered = false;
  for (int attempt = 0; attempt < 40 && !recovered; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<std::int64_t>(retry_after, 50, 2000)));
    WsReply reply = ws.request("me");
    if (reply.ok()) {
      recovered = true;
      EXPECT_EQ(get_int(reply.data(), "id"), alice.id);
    } else {
      ASSERT_TRUE(is_error(reply, "rate_limited"));
      retry_after = retry_after_ms(reply).value_or(retry_after);
    }
  }
  EXPECT_TRUE(recovered);
  EXPECT_FALSE(ws.is_closed());
}

// Garbage costs the server as much to answer as a request: a flood of it is limited the same way.
TEST(RateLimitTest, MalformedFramesCountAgainstTheLimit) {
  TestServer server({"--rate-limit", "5", "--rate-burst", "10"});
  Account alice = register_user(server, "alice");
  WsClient ws = connect(server, alice);

  for (int i = 0; i < 60; ++i) ws.send_raw("not json at all");
  int malformed = 0, limited = 0;
  for (int i = 0; i < 60; ++i) {
    WsReply reply = ws.wait_reply(kNullId);
    if (is_error(reply, "malformed_json"))
      ++malformed;
    else if (is_error(reply, "rate_limited"))
      ++limited;
    else
      ADD_FAILURE() << reply.dump();
  }
  EXPECT_GT(limited, 0) << "60 garbage frames at once must exceed a burst of 10";
  EXPECT_LE(malformed, 20) << "no more answered in full than the budget allows";
  EXPECT_FALSE(ws.is_closed());
}

// The message text limit needs a frame limit above it, so this one runs on default limits.
TEST(TextLimitTest, TextOverSixteenKibIsPayloadTooLarge) {
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  WsClient ws = connect(server, alice);
  const std::int64_t room_id = direct_room(ws, bob.id);

  WsReply too_long = ws.request("messages.send", {{"room_id", room_id}, {"client_msg_id", "long-1"},
                                                  {"type", "text"}, {"text", std::string(kTextLimit + 1, 'x')}});
  EXPECT_TRUE(is_error(too_long, "payload_too_large"));

  WsReply at_limit = ws.request("messages.send", {{"room_id", room_id}, {"client_msg_id", "long-2"},
                                                  {"type", "text"}, {"text", std::string(kTextLimit, 'x')}});
  ASSERT_TRUE(is_ok(at_limit));
  EXPECT_EQ(get_int(get_obj(at_limit.data(), "message"), "seq"), 1) << "the refused text must not be stored";

  HttpResponse over_http = http_json(server.port(), "POST", "/v1/rooms/" + std::to_string(room_id) + "/messages",
                                     {{"client_msg_id", "long-3"}, {"type", "text"},
                                      {"text", std::string(kTextLimit + 1, 'x')}},
                                     alice.access_token);
  EXPECT_TRUE(is_http_error(over_http, 413, "payload_too_large"));
}

}  // namespace
}  // namespace parley::test
