#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"
#include "protocol/search_json.hpp"
#include "server/gateway/http_routes.hpp"
#include "server/gateway/token_bucket.hpp"

namespace parley {
namespace {

namespace json = boost::json;

TEST(Frames, ParsesARequestAndKeepsItsId) {
  json::value id;
  auto request = protocol::parse_request(R"({"id":"r1","op":"ping"})", id);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->op, "ping");
  EXPECT_EQ(id, json::value("r1"));
}

TEST(Frames, ReportsEachKindOfBadFrame) {
  json::value id;
  EXPECT_EQ(protocol::parse_request("{nope", id).error().code, ErrorCode::malformed_json);
  EXPECT_TRUE(id.is_null());
  EXPECT_EQ(protocol::parse_request("[1,2]", id).error().code, ErrorCode::malformed_json);
  EXPECT_EQ(protocol::parse_request("{\"op\":\"\xC3\"}", id).error().code, ErrorCode::invalid_utf8);
  EXPECT_EQ(protocol::parse_request(R"({"id":5})", id).error().code, ErrorCode::invalid_payload);
  EXPECT_EQ(id, json::value(5));  // the id is known even though the op is missing
  EXPECT_EQ(protocol::parse_request(R"({"id":1,"op":7})", id).error().code, ErrorCode::invalid_payload);
}

TEST(Frames, EncodesRepliesAndErrors) {
  auto ok = json::parse(protocol::encode_reply(json::value(3), json::object{{"a", 1}}));
  EXPECT_EQ(ok.at("id"), json::value(3));
  EXPECT_EQ(ok.at("ok"), json::value(true));
  Error limited{ErrorCode::rate_limited, "slow down", 250};
  auto err = json::parse(protocol::encode_error_reply(nullptr, limited));
  EXPECT_TRUE(err.at("id").is_null());
  EXPECT_EQ(err.at("error").at("code"), json::value("rate_limited"));
  EXPECT_EQ(err.at("error").at("retry_after_ms"), json::value(250));
  EXPECT_EQ(protocol::http_status(ErrorCode::rate_limited), 429u);
  EXPECT_EQ(protocol::http_status(ErrorCode::username_taken), 409u);
}

TEST(Codec, MessagesOmitWhatDoesNotApply) {
  domain::Message m;
  m.id = MessageId{1};
  m.room_id = RoomId{2};
  m.seq = 3;
  m.sender_id = UserId{4};
  m.client_msg_id = "x";
  m.text = "hi";
  auto j = protocol::to_json(m);
  EXPECT_FALSE(j.contains("attachment"));
  EXPECT_FALSE(j.contains("system"));
  EXPECT_EQ(j.at("type"), json::value("text"));
}

TEST(Codec, AttachmentFieldsAreChecked) {
  auto good = protocol::attachment_from_json(json::parse(R"({"name":"a.png","mime_type":"image/png","size":5,"width":3})"));
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(good->width, 3);
  auto bad = protocol::attachment_from_json(json::parse(R"({"name":"a.png","mime_type":"image/png","size":"5"})"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("attachment.size"), std::string::npos);
}

TEST(Routes, MapPathAndQueryToOperationFields) {
  auto m = gateway::match_route("GET", "/v1/rooms/12/messages?before=40&limit=20");
  ASSERT_EQ(m.outcome, gateway::RouteMatch::Outcome::matched);
  EXPECT_EQ(m.op, "messages.history");
  EXPECT_EQ(m.params.at("room_id"), json::value(12));
  EXPECT_EQ(m.params.at("before"), json::value(40));
  auto del = gateway::match_route("DELETE", "/v1/rooms/3/members/9");
  EXPECT_EQ(del.op, "members.remove");
  EXPECT_EQ(del.params.at("user_id"), json::value(9));
  EXPECT_EQ(gateway::match_route("PUT", "/v1/rooms").outcome, gateway::RouteMatch::Outcome::wrong_method);
  EXPECT_EQ(gateway::match_route("GET", "/v1/nothing").outcome, gateway::RouteMatch::Outcome::no_route);
  EXPECT_EQ(gateway::match_route("POST", "/v1/rooms/direct").op, "rooms.direct");
  EXPECT_EQ(gateway::match_route("POST", "/v1/auth/login").auth, gateway::RouteAuth::none);
}

TEST(Routes, SearchKeepsItsQueryAndCursorAsText) {
  auto m = gateway::match_route("GET", "/v1/search?query=2024&cursor=20&room_id=3&limit=5");
  ASSERT_EQ(m.outcome, gateway::RouteMatch::Outcome::matched);
  EXPECT_EQ(m.op, "messages.search");
  EXPECT_EQ(m.params.at("query"), json::value("2024"));
  EXPECT_EQ(m.params.at("cursor"), json::value("20"));
  EXPECT_EQ(m.params.at("room_id"), json::value(3));
  EXPECT_EQ(m.params.at("limit"), json::value(5));
}

TEST(Routes, TheServerApiTakesAnApiKeyAndTheUserRoutesAUserToken) {
  auto presence = gateway::match_route("GET", "/v1/server/presence?user_ids=1,2");
  EXPECT_EQ(presence.op, "server.presence");
  EXPECT_EQ(presence.auth, gateway::RouteAuth::api_key);
  EXPECT_EQ(presence.params.at("user_ids"), json::value("1,2"));
  auto direct = gateway::match_route("POST", "/v1/server/rooms/direct");
  EXPECT_EQ(direct.op, "server.rooms.direct");
  EXPECT_EQ(direct.auth, gateway::RouteAuth::api_key);
  auto role = gateway::match_route("PATCH", "/v1/server/rooms/4/members/9");
  EXPECT_EQ(role.op, "server.members.role");
  EXPECT_EQ(role.params.at("room_id"), json::value(4));
  EXPECT_EQ(role.params.at("user_id"), json::value(9));
  EXPECT_EQ(gateway::match_route("GET", "/v1/rooms").auth, gateway::RouteAuth::user);
  EXPECT_EQ(gateway::match_route("PUT", "/v1/server/users").outcome, gateway::RouteMatch::Outcome::wrong_method);
}

TEST(TokenBucket, RefusesPastTheBurstAndSaysWhenToRetry) {
  gateway::TokenBucket bucket(1.0, 3.0);
  std::int64_t retry = 0;
  EXPECT_TRUE(bucket.try_take(retry));
  EXPECT_TRUE(bucket.try_take(retry));
  EXPECT_TRUE(bucket.try_take(retry));
  EXPECT_FALSE(bucket.try_take(retry));
  EXPECT_GT(retry, 0);
}

// One codec writes a search result for the server and reads it for the SDK: what it writes, it
// reads back field for field.
TEST(SearchJson, ReadsBackWhatItWrites) {
  const SearchResult written{.room_id = RoomId{3}, .seq = 41, .sender_id = UserId{7}, .type = "image",
                             .created_at = 1700000000000, .edited_at = 1700000005000,
                             .snippet = "…the Quarterly report", .highlights = {{5, 9}, {15, 6}}};
  const json::object out = protocol::search_results_json({written}, "20");
  EXPECT_EQ(out.at("next_cursor"), json::value("20"));
  const auto read = protocol::search_result_from_wire(out.at("results").as_array().at(0));
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->room_id, written.room_id);
  EXPECT_EQ(read->seq, written.seq);
  EXPECT_EQ(read->sender_id, written.sender_id);
  EXPECT_EQ(read->type, written.type);
  EXPECT_EQ(read->created_at, written.created_at);
  EXPECT_EQ(read->edited_at, written.edited_at);
  EXPECT_EQ(read->snippet, written.snippet);
  ASSERT_EQ(read->highlights.size(), 2u);
  EXPECT_EQ(read->highlights[1].start, 15u);
  EXPECT_EQ(read->highlights[1].length, 6u);
  EXPECT_FALSE(protocol::search_results_json({}, "").contains("next_cursor"));
  EXPECT_FALSE(protocol::to_json(SearchResult{.room_id = RoomId{1}, .seq = 1}).contains("edited_at"));
}

TEST(SearchJson, NeedsWhereTheResultIsAndSkipsWhatItCannotShow) {
  auto read = [](std::string_view text) { return protocol::search_result_from_wire(json::parse(text)); };
  EXPECT_FALSE(read(R"({"seq": 4, "snippet": "x"})"));
  EXPECT_FALSE(read(R"({"room_id": 2, "snippet": "x"})"));
  EXPECT_FALSE(read(R"({"room_id": 2, "seq": 4})"));
  EXPECT_FALSE(read("[1]"));
  const auto lenient = read(R"({"room_id": 2, "seq": 4, "snippet": "x", "type": 5, "created_at": "soon",
                               "highlights": [[0, 1], [-1, 2], "x", [3]], "future_field": true})");
  ASSERT_TRUE(lenient);
  EXPECT_EQ(lenient->type, "");
  EXPECT_EQ(lenient->created_at, 0);
  EXPECT_FALSE(lenient->edited_at);
  ASSERT_EQ(lenient->highlights.size(), 1u);
}

}  // namespace
}  // namespace parley
