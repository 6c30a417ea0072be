// Supabase's REST API (/rest/v1/, docs/supabase.md) as supabase-js calls it, over a real
// socket: a messages table read by room, seq cursor, order, limit and Range; inserts with each
// Prefer; rooms; tokens from Authorization or apikey; PostgREST-shaped errors; CORS.
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace parley::test {
namespace {

namespace json = boost::json;

constexpr int kMessages = 130;  // more than one history page (100), so a long read pages
constexpr std::string_view kOrigin = "https://app.example";

class SupabaseRestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({"--allowed-origins", std::string(kOrigin)});
    alice_ = new Account(register_user(*server_, "alice"));
    bob_ = new Account(register_user(*server_, "bob"));
    carol_ = new Account(register_user(*server_, "carol"));
    WsClient ws = connect(*server_, *alice_);
    // A direct room holds no system messages: its messages are exactly seq 1..kMessages, and
    // only the reading tests use it. Inserts go to a group of their own.
    read_room_ = direct_room(ws, bob_->id);
    send_texts_pipelined(ws, read_room_, "m", kMessages);
    write_room_ = create_group(ws, "writes", {bob_->id});
  }
  static void TearDownTestSuite() {
    delete alice_;
    delete bob_;
    delete carol_;
    delete server_;
  }

  static HttpResponse rest(std::string_view method, const std::string& target, const Account* as,
                           std::string_view body = {}, HttpHeaders headers = {}) {
    HttpRequest request;
    request.method = std::string(method);
    request.target = "/rest/v1/" + target;
    request.body = std::string(body);
    if (as) request.bearer = as->access_token;
    request.headers = std::move(headers);
    return send_http(server_->port(), request);
  }
  static HttpResponse get(const std::string& target, const Account& as = *bob_, HttpHeaders headers = {}) {
    return rest("GET", target, &as, {}, std::move(headers));
  }
  static std::string read_room() { return "messages?room_id=eq." + std::to_string(read_room_); }
  static std::string write_room_id() { return std::to_string(write_room_); }

  // The seq of each row of an array answer, in the order given.
  static std::vector<std::int64_t> seqs(const HttpResponse& res) {
    EXPECT_EQ(res.status, 200) << res.body;
    std::vector<std::int64_t> out;
    if (!res.json.is_array()) return out;
    for (const auto& row : res.json.as_array()) out.push_back(get_int(row.as_object(), "seq"));
    return out;
  }
  static std::vector<std::int64_t> run(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> out;
    for (std::int64_t s = from; from <= to ? s <= to : s >= to; s += from <= to ? 1 : -1) out.push_back(s);
    return out;
  }
  // A PostgREST error: the status, and every field of its shape present.
  static void expect_error(const HttpResponse& res, int status, std::string_view code) {
    EXPECT_EQ(res.status, status) << res.body;
    ASSERT_TRUE(res.json.is_object()) << res.body;
    const auto& body = res.json.as_object();
    EXPECT_EQ(get_str(body, "code"), code) << res.body;
    EXPECT_TRUE(body.contains("details") && body.contains("hint") && body.contains("message")) << res.body;
  }

  static TestServer* server_;
  static Account* alice_;
  static Account* bob_;
  static Account* carol_;
  static std::int64_t read_room_;
  static std::int64_t write_room_;
};

TestServer* SupabaseRestTest::server_ = nullptr;
Account* SupabaseRestTest::alice_ = nullptr;
Account* SupabaseRestTest::bob_ = nullptr;
Account* SupabaseRestTest::carol_ = nullptr;
std::int64_t SupabaseRestTest::read_room_ = 0;
std::int64_t SupabaseRestTest::write_room_ = 0;

TEST_F(SupabaseRestTest, NewestFirstPagesBackByASeqCursor) {
  EXPECT_EQ(seqs(get(read_room() + "&order=seq.desc&limit=10")), run(kMessages, kMessages - 9));
  EXPECT_EQ(seqs(get(read_room() + "&order=seq.desc&limit=10&seq=lt.121")), run(120, 111));
  EXPECT_EQ(seqs(get(read_room() + "&order=seq.desc&seq=lte.5")), run(5, 1));
  // More than one history page, read in one answer, each row once and in order.
  EXPECT_EQ(seqs(get(read_room() + "&order=seq.desc&limit=120")), run(kMessages, 11));
  EXPECT_EQ(seqs(get(read_room() + "&order=created_at.desc&seq=gt.125")), run(kMessages, 126));
}

TEST_F(SupabaseRestTest, OldestFirstPagesForwardByASeqCursor) {
  EXPECT_EQ(seqs(get(read_room() + "&order=seq.asc&limit=10")), run(1, 10));
  EXPECT_EQ(seqs(get(read_room() + "&order=seq.asc&limit=10&seq=gt.10")), run(11, 20));
  EXPECT_EQ(seqs(get(read_room() + "&seq=gte.5&seq=lte.7")), run(5, 7)) << "ascending without an order";
  EXPECT_EQ(seqs(get(read_room())), run(1, kMessages));
  EXPECT_EQ(seqs(get(read_room() + "&seq=eq.42")), run(42, 42));
  EXPECT_TRUE(seqs(get(read_room() + "&seq=gt." + std::to_string(kMessages))).empty());
}

TEST_F(SupabaseRestTest, RowsHaveTheMessagesColumns) {
  auto res = get(read_room() + "&order=seq.desc&limit=1");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("Content-Type").find("application/json"), 0u);
  const auto& row = res.json.as_array().at(0).as_object();
  for (auto column : {"id", "room_id", "seq", "sender_id", "client_msg_id", "type", "text", "attachment", "created_at"})
    EXPECT_TRUE(row.contains(column)) << column;
  EXPECT_EQ(get_int(row, "room_id"), read_room_);
  EXPECT_EQ(get_int(row, "sender_id"), alice_->id);
  EXPECT_EQ(get_str(row, "text"), "message " + get_str(row, "client_msg_id"));
  EXPECT_TRUE(row.at("attachment").is_null());
  EXPECT_TRUE(get_str(row, "created_at").ends_with("+00:00"));

  auto some = get(read_room() + "&select=seq,text&limit=1");
  ASSERT_EQ(some.status, 200) << some.body;
  EXPECT_EQ(some.json.as_array().at(0).as_object().size(), 2u);
}

TEST_F(SupabaseRestTest, EditsDeletionsAndReactionsShowInTheRowTheyChangeAndAreNoRowsOfTheirOwn) {
  WsClient ws = connect(*server_, *alice_);
  const std::int64_t room = create_group(ws, "changes", {bob_->id});
  const std::int64_t edited = get_int(send_text(ws, room, "before", "x-1"), "seq");
  const std::int64_t deleted = get_int(send_text(ws, room, "gone", "x-2"), "seq");
  auto act = [&](std::string_view type, std::int64_t target, std::string_view text, std::string_view id) {
    require_ok(ws.request("messages.send", {{"room_id", room}, {"client_msg_id", id}, {"type", type},
                                            {"relates_to", target}, {"text", text}}),
               type);
  };
  act("edit", edited, "after", "x-3");
  act("reaction", edited, "👍", "x-4");
  act("deletion", deleted, "", "x-5");

  auto res = get("messages?room_id=eq." + std::to_string(room) + "&seq=gte." + std::to_string(edited));
  ASSERT_EQ(res.status, 200) << res.body;
  const auto& rows = res.json.as_array();
  ASSERT_EQ(rows.size(), 2u) << res.body;
  EXPECT_EQ(get_str(rows[0].as_object(), "text"), "after");
  EXPECT_TRUE(get_str(rows[0].as_object(), "edited_at").ends_with("+00:00"));
  EXPECT_FALSE(get_bool(rows[0].as_object(), "deleted"));
  EXPECT_EQ(get_str(rows[1].as_object(), "text"), "");
  EXPECT_TRUE(get_bool(rows[1].as_object(), "deleted"));
}

TEST_F(SupabaseRestTest, RangeHeaderAndContentRange) {
  auto first = get(read_room() + "&order=seq.asc", *bob_, {{"Range", "0-9"}, {"Range-Unit", "items"}});
  EXPECT_EQ(seqs(first), run(1, 10));
  EXPECT_EQ(first.header("Content-Range"), "0-9/*");
  auto later = get(read_room() + "&order=seq.asc", *bob_, {{"Range", "5-9"}});
  EXPECT_EQ(seqs(later), run(6, 10));
  EXPECT_EQ(later.header("Content-Range"), "5-9/*");
  auto limited = get(read_room() + "&order=seq.desc&limit=3");
  EXPECT_EQ(limited.header("Content-Range"), "0-2/*");
  auto none = get(read_room() + "&seq=lt.1");
  EXPECT_EQ(none.body, "[]");
  EXPECT_EQ(none.header("Content-Range"), "*/*");
  expect_error(get(read_room(), *bob_, {{"Range", "9-0"}}), 416, "PGRST103");
}

TEST_F(SupabaseRestTest, CountWhenPreferAsksAndHeadForTheCountAlone) {
  const HttpHeaders count{{"Prefer", "count=exact"}};
  auto page = get(read_room() + "&order=seq.desc&limit=10", *bob_, count);
  EXPECT_EQ(seqs(page), run(kMessages, kMessages - 9));
  EXPECT_EQ(page.header("Content-Range"), "0-9/" + std::to_string(kMessages));
  auto window = get(read_room() + "&seq=gt.100&limit=5", *bob_, count);
  EXPECT_EQ(window.header("Content-Range"), "0-4/30");
  // supabase-js's select('*', {count: 'exact', head: true}): the count without the rows.
  auto head = rest("HEAD", read_room() + "&seq=lt.21", bob_, {}, count);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.header("Content-Range"), "0-19/20");
  auto rooms = get("rooms?kind=eq.direct&limit=0", *bob_, count);
  EXPECT_EQ(rooms.header("Content-Range"), "*/1");
  expect_error(get(read_room(), *carol_, count), 403, "42501");
}

TEST_F(SupabaseRestTest, SingleObjectWhenExactlyOneRow) {
  const HttpHeaders single{{"Accept", "application/vnd.pgrst.object+json"}};
  auto one = get(read_room() + "&seq=eq.7", *bob_, single);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(get_int(one.object(), "seq"), 7);
  expect_error(get(read_room() + "&seq=lt.3", *bob_, single), 406, "PGRST116");
}

TEST_F(SupabaseRestTest, InsertReturnMinimalStoresTheMessage) {
  const std::string body = R"({"room_id":)" + write_room_id() + R"(,"text":"minimal insert","client_msg_id":"rest-min-1"})";
  auto res = rest("POST", "messages", alice_, body, {{"Prefer", "return=minimal"}});
  EXPECT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.body, "");
  // Parley's own history has it, as sent by the caller.
  auto history = fetch_history_http(*server_, *bob_, write_room_);
  int found = 0;
  for (const auto& m : history)
    if (get_str(m, "text") == "minimal insert") {
      ++found;
      EXPECT_EQ(get_int(m, "sender_id"), alice_->id);
      EXPECT_EQ(get_str(m, "client_msg_id"), "rest-min-1");
    }
  EXPECT_EQ(found, 1);
}

TEST_F(SupabaseRestTest, InsertReturnRepresentationAnswersTheStoredRows) {
  const std::string body = R"([{"room_id":)" + write_room_id() + R"(,"text":"one","sender_id":)" +
                           std::to_string(alice_->id) + R"(},{"room_id":)" + write_room_id() + R"(,"text":"two"}])";
  auto res = rest("POST", "messages?columns=%22room_id%22,%22text%22&select=*", alice_, body,
                  {{"Prefer", "return=representation"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const auto& rows = res.json.as_array();
  ASSERT_EQ(rows.size(), 2u);
  const auto& first = rows[0].as_object();
  const auto& second = rows[1].as_object();
  EXPECT_EQ(get_str(first, "text"), "one");
  EXPECT_EQ(get_int(first, "sender_id"), alice_->id);
  EXPECT_EQ(get_str(first, "type"), "text");
  EXPECT_GT(get_int(first, "id"), 0);
  EXPECT_EQ(get_int(second, "seq"), get_int(first, "seq") + 1);
  EXPECT_TRUE(get_str(first, "created_at").ends_with("+00:00"));
  // Read back through REST: the same rows.
  auto back = get("messages?room_id=eq." + write_room_id() + "&seq=gte." + std::to_string(get_int(first, "seq")) +
                  "&limit=2");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json.as_array(), rows);
}

TEST_F(SupabaseRestTest, TheSameClientMsgIdTwiceStoresOneMessage) {
  const std::string body = R"({"room_id":)" + write_room_id() + R"(,"text":"only once","client_msg_id":"rest-dup-1"})";
  const HttpHeaders prefer{{"Prefer", "return=representation"}};
  auto first = rest("POST", "messages", alice_, body, prefer);
  auto again = rest("POST", "messages", alice_, body, prefer);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(first.json, again.json) << "the repeat answers the original row";
  int copies = 0;
  for (const auto& m : fetch_history_http(*server_, *alice_, write_room_))
    if (get_str(m, "text") == "only once") ++copies;
  EXPECT_EQ(copies, 1);
}

TEST_F(SupabaseRestTest, ANonMemberIsRefusedAsRowLevelSecurityRefuses) {
  auto read = get(read_room(), *carol_);
  expect_error(read, 403, "42501");
  EXPECT_EQ(get_str(read.object(), "details"), "not_found");
  auto ascending = get(read_room() + "&order=seq.asc", *carol_);
  expect_error(ascending, 403, "42501");
  auto insert = rest("POST", "messages", carol_, R"({"room_id":)" + write_room_id() + R"(,"text":"let me in"})");
  expect_error(insert, 403, "42501");
  auto impostor = rest("POST", "messages", alice_,
                       R"({"room_id":)" + write_room_id() + R"(,"text":"as bob","sender_id":)" + std::to_string(bob_->id) + "}");
  expect_error(impostor, 403, "42501");
  EXPECT_NE(get_str(impostor.object(), "message").find("row-level security"), std::string::npos);
}

TEST_F(SupabaseRestTest, TokensFromAuthorizationOrApikey) {
  auto missing = rest("GET", read_room(), nullptr);
  expect_error(missing, 401, "PGRST301");
  auto wrong = rest("GET", read_room(), nullptr, {}, {{"Authorization", "Bearer not-a-token"}});
  expect_error(wrong, 401, "PGRST301");
  auto apikey = rest("GET", read_room() + "&limit=1", nullptr, {}, {{"apikey", bob_->access_token}});
  EXPECT_EQ(seqs(apikey), run(1, 1));
  // Authorization, when present, is the token, as supabase-js sends both.
  auto both = rest("GET", read_room() + "&limit=1", nullptr, {},
                   {{"apikey", "the-project-anon-key"}, {"Authorization", "Bearer " + bob_->access_token}});
  EXPECT_EQ(seqs(both), run(1, 1));
}

TEST_F(SupabaseRestTest, WhatIsOutsideTheSubsetIsNamed) {
  auto table = get("profiles?select=*");
  expect_error(table, 404, "PGRST205");
  EXPECT_NE(get_str(table.object(), "hint").find("messages and rooms"), std::string::npos);
  auto filter = get(read_room() + "&text=like.*hi*");
  expect_error(filter, 400, "PGRST100");
  EXPECT_NE(get_str(filter.object(), "hint").find("eq, lt, lte, gt and gte"), std::string::npos);
  auto no_room = get("messages?select=*&order=seq.desc");
  expect_error(no_room, 400, "PGRST100");
  EXPECT_NE(get_str(no_room.object(), "message").find("room_id=eq."), std::string::npos);
  expect_error(get(read_room() + "&select=seq,body"), 400, "42703");
  expect_error(get(read_room() + "&sender_id=eq.1"), 400, "PGRST100");
  auto patch = rest("PATCH", read_room(), bob_, R"({"text":"edited"})");
  expect_error(patch, 405, "PGRST117");
  EXPECT_EQ(patch.header("Allow"), "GET, HEAD, POST");
  expect_error(get(read_room(), *bob_, {{"Accept-Profile", "private"}}), 406, "PGRST106");
}

TEST_F(SupabaseRestTest, RoomsListsTheCallersRooms) {
  auto res = get("rooms", *bob_);
  ASSERT_EQ(res.status, 200) << res.body;
  std::vector<std::int64_t> ids;
  for (const auto& row : res.json.as_array()) {
    const auto& room = row.as_object();
    ids.push_back(get_int(room, "id"));
    EXPECT_EQ(room.size(), 8u) << json::serialize(room);
    EXPECT_TRUE(get_str(room, "created_at").ends_with("+00:00"));
  }
  EXPECT_NE(std::find(ids.begin(), ids.end(), read_room_), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), write_room_), ids.end());

  auto one = get("rooms?select=id,kind,last_seq&id=eq." + std::to_string(read_room_), *bob_);
  ASSERT_EQ(one.status, 200) << one.body;
  ASSERT_EQ(one.json.as_array().size(), 1u);
  EXPECT_EQ(one.json.as_array()[0], (json::object{{"id", read_room_}, {"kind", "direct"}, {"last_seq", kMessages}}));
  auto groups = get("rooms?kind=eq.group&order=created_at.desc&limit=1", *bob_);
  ASSERT_EQ(groups.json.as_array().size(), 1u) << groups.body;
  EXPECT_EQ(get_int(groups.json.as_array()[0].as_object(), "id"), write_room_);

  auto carols = get("rooms", *carol_);
  EXPECT_EQ(carols.body, "[]");
  expect_error(rest("POST", "rooms", bob_, R"({"name":"x"})"), 405, "PGRST117");
}

TEST_F(SupabaseRestTest, BrowsersMayCallFromAnAllowedSite) {
  HttpRequest preflight;
  preflight.method = "OPTIONS";
  preflight.target = "/rest/v1/messages";
  preflight.headers = {{"Origin", std::string(kOrigin)},
                       {"Access-Control-Request-Method", "POST"},
                       {"Access-Control-Request-Headers", "apikey, authorization, x-client-info, content-type, prefer"}};
  auto res = send_http(server_->port(), preflight);
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(res.header("Access-Control-Allow-Origin"), kOrigin);
  const std::string allowed = res.header("Access-Control-Allow-Headers");
  for (auto header : {"apikey", "x-client-info", "prefer", "range", "accept-profile", "content-profile"})
    EXPECT_NE(allowed.find(header), std::string::npos) << header;
  auto read = get(read_room() + "&limit=1", *bob_, {{"Origin", std::string(kOrigin)}});
  EXPECT_EQ(read.header("Access-Control-Allow-Origin"), kOrigin);
  EXPECT_EQ(read.header("Access-Control-Expose-Headers"), "Content-Range");
  auto other = get(read_room() + "&limit=1", *bob_, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace parley::test
