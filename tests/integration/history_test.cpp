// History pages backwards by seq, over WebSocket and HTTP: every message exactly once, oldest
// first within a page, has_more / next_before leading to the next page, and the limit's bounds.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr int kMessages = 250;

// One server and one room of 250 messages for the whole suite: the tests only read.
class HistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    alice_ = new Account(register_user(*server_, "alice"));
    bob_ = new Account(register_user(*server_, "bob"));
    WsClient ws = connect(*server_, *alice_);
    // A direct room holds no system messages, so its messages are exactly seq 1..250.
    room_id_ = direct_room(ws, bob_->id);
    send_texts_pipelined(ws, room_id_, "h", kMessages);
  }
  void SetUp() override {
    ASSERT_TRUE(server_ && room_id_ > 0) << "the suite's set-up failed";
    ws.emplace(connect(*server_, *bob_));
  }
  static void TearDownTestSuite() {
    delete alice_;
    delete bob_;
    delete server_;
  }

  // messages.history over WebSocket; `before` and `limit` are sent only when given.
  WsReply history_ws(std::optional<std::int64_t> before, std::optional<std::int64_t> limit) {
    json::object params{{"room_id", room_id_}};
    if (before) params["before"] = *before;
    if (limit) params["limit"] = *limit;
    return ws->request("messages.history", std::move(params));
  }
  HttpResponse history_http(const std::string& query) {
    return http_request(server_->port(), "GET", "/v1/rooms/" + std::to_string(room_id_) + "/messages" + query,
                        {}, bob_->access_token);
  }

  static TestServer* server_;
  static Account* alice_;
  static Account* bob_;
  static std::int64_t room_id_;
  std::optional<WsClient> ws;
};

TestServer* HistoryTest::server_ = nullptr;
Account* HistoryTest::alice_ = nullptr;
Account* HistoryTest::bob_ = nullptr;
std::int64_t HistoryTest::room_id_ = 0;

// Checks one page: `count` messages ending at seq `newest`, oldest first, and the cursor.
void expect_page(const json::object& page, std::int64_t newest, std::int64_t count, bool has_more) {
  const json::array& messages = get_arr(page, "messages");
  ASSERT_EQ(static_cast<std::int64_t>(messages.size()), count) << json::serialize(page).substr(0, 500);
  for (std::int64_t i = 0; i < count; ++i) {
    EXPECT_EQ(get_int(as_obj(messages[i]), "seq"), newest - count + 1 + i) << "position " << i;
  }
  EXPECT_EQ(get_bool(page, "has_more"), has_more);
  // Every page says the room's seq it was read at: older pages too.
  EXPECT_EQ(get_int(page, "last_seq"), kMessages);
  if (has_more) {
    EXPECT_EQ(get_int(page, "next_before"), newest - count + 1);
  } else if (page.contains("next_before")) {
    EXPECT_FALSE(page.at("next_before").is_null()) << "fields that do not apply are absent, never null";
  }
}

TEST_F(HistoryTest, PagingBackwardsOverWebSocketReturnsEverySeqOnce) {
  WsReply newest = history_ws(std::nullopt, 100);
  ASSERT_TRUE(is_ok(newest));
  expect_page(newest.data(), 250, 100, true);

  WsReply middle = history_ws(151, 100);
  ASSERT_TRUE(is_ok(middle));
  expect_page(middle.data(), 150, 100, true);

  WsReply oldest = history_ws(51, 100);
  ASSERT_TRUE(is_ok(oldest));
  expect_page(oldest.data(), 50, 50, false);

  std::multiset<std::int64_t> seqs;
  for (const auto& m : fetch_history(*ws, room_id_)) {
    seqs.insert(get_int(m, "seq"));
    EXPECT_EQ(get_int(m, "room_id"), room_id_);
  }
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kMessages));
  for (std::int64_t seq = 1; seq <= kMessages; ++seq) EXPECT_EQ(seqs.count(seq), 1u) << "seq " << seq;
}

TEST_F(HistoryTest, PagingBackwardsOverHttpReturnsEverySeqOnce) {
  HttpResponse newest = history_http("?limit=100");
  ASSERT_TRUE(is_http_ok(newest));
  expect_page(newest.object(), 250, 100, true);

  HttpResponse middle = history_http("?before=151&limit=100");
  ASSERT_TRUE(is_http_ok(middle));
  expect_page(middle.object(), 150, 100, true);

  HttpResponse oldest = history_http("?before=51&limit=100");
  ASSERT_TRUE(is_http_ok(oldest));
  expect_page(oldest.object(), 50, 50, false);

  // Both transports answer with the same messages.
  const auto over_http = fetch_history_http(*server_, *bob_, room_id_);
  const auto over_ws = fetch_history(*ws, room_id_);
  ASSERT_EQ(over_http.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(over_http, over_ws);
}

TEST_F(HistoryTest, BeforeZeroMeansFromTheNewest) {
  WsReply page = history_ws(0, 10);
  ASSERT_TRUE(is_ok(page));
  expect_page(page.data(), 250, 10, true);
}

TEST_F(HistoryTest, WithoutALimitAPageHoldsFifty) {
  WsReply page = history_ws(std::nullopt, std::nullopt);
  ASSERT_TRUE(is_ok(page));
  expect_page(page.data(), 250, 50, true);

  HttpResponse over_http = history_http("");
  ASSERT_TRUE(is_http_ok(over_http));
  expect_page(over_http.object(), 250, 50, true);
}

// No limit is the default page; a limit of 0 asks for nothing, which is a mistake, not the default.
TEST_F(HistoryTest, NoLimitMeansTheDefaultOfFiftyAndLimitZeroIsInvalidPayload) {
  WsReply page = history_ws(std::nullopt, std::nullopt);
  ASSERT_TRUE(is_ok(page));
  expect_page(page.data(), 250, 50, true);
  EXPECT_TRUE(is_error(history_ws(std::nullopt, 0), "invalid_payload"));

  HttpResponse over_http = history_http("");
  ASSERT_TRUE(is_http_ok(over_http));
  expect_page(over_http.object(), 250, 50, true);
  EXPECT_EQ(history_http("?limit=0").status, 400);
}

TEST_F(HistoryTest, ALimitOverOneHundredIsInvalidPayloadNamingTheField) {
  WsReply too_many = history_ws(std::nullopt, 101);
  ASSERT_TRUE(is_error(too_many, "invalid_payload"));
  EXPECT_NE(too_many.error_message().find("limit"), std::string::npos) << too_many.dump();
  EXPECT_TRUE(is_error(history_ws(std::nullopt, -5), "invalid_payload")) << "a negative limit";

  HttpResponse over_http = history_http("?limit=101");
  ASSERT_TRUE(is_http_error(over_http, 400, "invalid_payload"));
  EXPECT_NE(over_http.body.find("limit"), std::string::npos) << over_http.body;
}

TEST_F(HistoryTest, AOneMessagePageAtTheOldestEnd) {
  WsReply page = history_ws(2, 100);
  ASSERT_TRUE(is_ok(page));
  expect_page(page.data(), 1, 1, false);
}

}  // namespace
}  // namespace parley::test
