// messages.search over WebSocket and HTTP: the caller's rooms and only those, one room, a room the
// caller is not in or has left, paging by cursor, and queries that are empty, too long or full of
// an engine's syntax characters.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace parley::test {
namespace {

namespace json = boost::json;

// One server for the suite; each test searches for words of its own.
class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    alice_ = new Account(register_user(*server_, "alice"));
    bob_ = new Account(register_user(*server_, "bob"));
    carol_ = new Account(register_user(*server_, "carol"));
  }
  void SetUp() override {
    ASSERT_TRUE(server_ && carol_) << "the suite's set-up failed";
    alice_ws.emplace(connect(*server_, *alice_));
    bob_ws.emplace(connect(*server_, *bob_));
    carol_ws.emplace(connect(*server_, *carol_));
  }
  static void TearDownTestSuite() {
    for (Account* a : {alice_, bob_, carol_}) delete a;
    delete server_;
  }

  static WsReply search_ws(WsClient& ws, json::object params) { return ws.request("messages.search", std::move(params)); }
  static HttpResponse search_http(const Account& who, const std::string& query_string) {
    return http_request(server_->port(), "GET", "/v1/search?" + query_string, {}, who.access_token);
  }
  // The (room_id, seq) of each result, in order.
  static std::vector<std::pair<std::int64_t, std::int64_t>> hits(const json::object& answer) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& r : get_arr(answer, "results"))
      out.emplace_back(get_int(as_obj(r), "room_id"), get_int(as_obj(r), "seq"));
    return out;
  }
  static std::pair<std::int64_t, std::int64_t> at(std::int64_t room, const json::object& message) {
    return {room, get_int(message, "seq")};
  }

  static TestServer* server_;
  static Account* alice_;
  static Account* bob_;
  static Account* carol_;
  std::optional<WsClient> alice_ws, bob_ws, carol_ws;
};

TestServer* SearchTest::server_ = nullptr;
Account* SearchTest::alice_ = nullptr;
Account* SearchTest::bob_ = nullptr;
Account* SearchTest::carol_ = nullptr;

using Hits = std::vector<std::pair<std::int64_t, std::int64_t>>;

TEST_F(SearchTest, FindsInEveryRoomOfTheCallerAndNoOtherOverWebSocket) {
  const auto with_bob = create_group(*alice_ws, "with bob", {bob_->id});
  const auto with_carol = create_group(*alice_ws, "with carol", {carol_->id});
  const auto without_alice = create_group(*bob_ws, "without alice", {carol_->id});
  const auto a = send_text(*bob_ws, with_bob, "Kiwis are ripe", "kiwi-1");
  const auto b = send_text(*carol_ws, with_carol, "one kiwi left", "kiwi-2");
  send_text(*carol_ws, without_alice, "a secret kiwi", "kiwi-3");

  const auto answer = require_ok(search_ws(*alice_ws, {{"query", "kiwi"}}), "search");
  const auto found = hits(answer);
  EXPECT_EQ(std::set(found.begin(), found.end()), (std::set{at(with_bob, a), at(with_carol, b)}));
  EXPECT_FALSE(answer.contains("next_cursor"));

  // A result says where the message is, who sent it and what to show of it.
  for (const auto& r : get_arr(answer, "results")) {
    const auto& result = as_obj(r);
    if (get_int(result, "room_id") != with_bob) continue;
    EXPECT_EQ(get_int(result, "sender_id"), bob_->id);
    EXPECT_EQ(get_str(result, "type"), "text");
    EXPECT_EQ(get_int(result, "created_at"), get_int(a, "created_at"));
    EXPECT_EQ(get_str(result, "snippet"), "Kiwis are ripe");
    const auto& highlights = get_arr(result, "highlights");
    ASSERT_EQ(highlights.size(), 1u);
    EXPECT_EQ(highlights[0], (json::array{0, 5}));
  }
}

TEST_F(SearchTest, OneRoomOverHttp) {
  const auto first = create_group(*alice_ws, "first", {bob_->id});
  const auto second = create_group(*alice_ws, "second", {bob_->id});
  const auto here = send_text(*alice_ws, first, "plum jam", "plum-1");
  send_text(*alice_ws, second, "plum cake", "plum-2");

  const auto res = search_http(*bob_, "query=plum&room_id=" + std::to_string(first));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(hits(res.object()), (Hits{at(first, here)}));
  const auto everywhere = search_http(*bob_, "query=PLUM");
  ASSERT_EQ(everywhere.status, 200) << everywhere.body;
  EXPECT_EQ(hits(everywhere.object()).size(), 2u);
}

TEST_F(SearchTest, ARoomTheCallerIsNotInIsNotFoundAsInHistory) {
  const auto theirs = create_group(*bob_ws, "theirs", {carol_->id});
  send_text(*bob_ws, theirs, "private grape", "grape-1");

  const auto search = search_ws(*alice_ws, {{"query", "grape"}, {"room_id", theirs}});
  const auto history = alice_ws->request("messages.history", {{"room_id", theirs}});
  ASSERT_TRUE(is_error(search, "not_found"));
  EXPECT_EQ(search.error_message(), history.error_message());
  EXPECT_TRUE(is_http_error(search_http(*alice_, "query=grape&room_id=" + std::to_string(theirs)), 404, "not_found"));
  EXPECT_TRUE(is_error(search_ws(*alice_ws, {{"query", "grape"}, {"room_id", 987654321}}), "not_found"));
  EXPECT_TRUE(hits(require_ok(search_ws(*alice_ws, {{"query", "grape"}}), "search")).empty());
}

TEST_F(SearchTest, ARoomTheCallerLeftIsNoLongerSearched) {
  const auto room = create_group(*alice_ws, "leaving", {bob_->id});
  send_text(*alice_ws, room, "mango season", "mango-1");
  ASSERT_EQ(hits(require_ok(search_ws(*bob_ws, {{"query", "mango"}}), "search")).size(), 1u);

  require_ok(bob_ws->request("rooms.leave", {{"room_id", room}}), "leave");
  EXPECT_TRUE(hits(require_ok(search_ws(*bob_ws, {{"query", "mango"}}), "search")).empty());
  EXPECT_TRUE(is_error(search_ws(*bob_ws, {{"query", "mango"}, {"room_id", room}}), "not_found"));
}

TEST_F(SearchTest, PagesByCursorWithoutRepeatsOrGaps) {
  const auto room = create_group(*alice_ws, "papayas", {bob_->id});
  std::set<std::pair<std::int64_t, std::int64_t>> sent;
  for (const auto& m : send_texts_pipelined(*alice_ws, room, "papaya", 25)) sent.insert(at(room, m));

  Hits all;
  json::object params{{"query", "papaya"}, {"limit", 10}};
  for (int page = 0; page < 3; ++page) {
    const auto answer = require_ok(search_ws(*bob_ws, params), "search");
    const auto found = hits(answer);
    EXPECT_EQ(found.size(), page < 2 ? 10u : 5u);
    all.insert(all.end(), found.begin(), found.end());
    if (page < 2) {
      ASSERT_TRUE(answer.contains("next_cursor"));
      params["cursor"] = get_str(answer, "next_cursor");
    } else {
      EXPECT_FALSE(answer.contains("next_cursor"));
    }
  }
  EXPECT_EQ(all.size(), 25u);
  EXPECT_EQ(std::set(all.begin(), all.end()), sent);

  // The same over HTTP: the cursor is text, even though it looks like a number.
  const auto second = search_http(*bob_, "query=papaya&limit=10&cursor=10");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(hits(second.object()), (Hits(all.begin() + 10, all.begin() + 20)));
}

TEST_F(SearchTest, BadQueriesAreRefusedAndSyntaxIsOnlyWords) {
  EXPECT_TRUE(is_error(search_ws(*alice_ws, {{"query", ""}}), "invalid_payload"));
  EXPECT_TRUE(is_error(search_ws(*alice_ws, {{"query", "   "}}), "invalid_payload"));
  EXPECT_TRUE(is_error(search_ws(*alice_ws, {{"query", std::string(257, 'a')}}), "invalid_payload"));
  EXPECT_TRUE(is_error(search_ws(*alice_ws, json::object{}), "invalid_payload"));
  EXPECT_TRUE(is_error(search_ws(*alice_ws, {{"query", "x"}, {"limit", 51}}), "invalid_payload"));
  EXPECT_TRUE(is_error(search_ws(*alice_ws, {{"query", "x"}, {"cursor", "not a cursor"}}), "invalid_payload"));
  EXPECT_TRUE(is_http_error(search_http(*alice_, "query="), 400, "invalid_payload"));

  const auto room = create_group(*alice_ws, "syntax", {bob_->id});
  const auto m = send_text(*alice_ws, room, "near: \"quoted\" lime 2024 * and not", "syntax-1");
  for (const std::string query : {"\"", "*", "NEAR(", "-", ":", "'", "\\", "\"quoted", "lime*", "-lime", "lime:2024",
                                   "NEAR(lime, 2024)", "NOT", "lime AND", "OR", "^lime", "{lime}", "lime'"}) {
    const auto reply = search_ws(*alice_ws, {{"query", query}, {"room_id", room}});
    ASSERT_TRUE(reply.ok()) << query << ": " << reply.dump();
  }
  EXPECT_EQ(hits(require_ok(search_ws(*alice_ws, {{"query", "NEAR(lime, 2024)"}}), "search")), (Hits{at(room, m)}));
  EXPECT_EQ(hits(require_ok(search_ws(*alice_ws, {{"query", "\"quoted"}}), "search")), (Hits{at(room, m)}));
  EXPECT_TRUE(hits(require_ok(search_ws(*alice_ws, {{"query", "\"*:-"}}), "search")).empty());
  // Percent-encoded over HTTP: a quote, a star, a colon and a number.
  const auto res = search_http(*alice_, "query=%22lime%2A%3A2024");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(hits(res.object()), (Hits{at(room, m)}));
}

}  // namespace
}  // namespace parley::test
