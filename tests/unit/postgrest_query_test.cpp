// Reading PostgREST requests (server/gateway/supabase/postgrest_query.hpp, room_rows.hpp):
// select, filters, order, limit and offset, Range and Prefer, the messages window and the rooms
// selection, and the errors that name what is supported.
#include <gtest/gtest.h>

#include "server/gateway/supabase/message_insert.hpp"
#include "server/gateway/supabase/postgrest_query.hpp"
#include "server/gateway/supabase/room_rows.hpp"

namespace parley::gateway::supabase {
namespace {

namespace json = boost::json;

ReadQuery read(std::string_view query) {
  auto parsed = parse_read_query(query, messages_table());
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : ReadQuery{};
}

PostgrestError refused(std::string_view query) {
  auto parsed = parse_read_query(query, messages_table());
  EXPECT_FALSE(parsed) << query;
  return parsed ? PostgrestError{} : parsed.error();
}

MessageWindow window(std::string_view query) {
  auto w = message_window(read(query));
  EXPECT_TRUE(w) << (w ? "" : w.error().message);
  return w ? *w : MessageWindow{};
}

TEST(PostgrestQuery, SelectStarOrColumnList) {
  EXPECT_TRUE(read("select=*").columns.empty());
  EXPECT_TRUE(read("").columns.empty());
  EXPECT_EQ(read("select=id,seq,%22text%22").columns, (std::vector<std::string>{"id", "seq", "text"}));
  EXPECT_EQ(read("select=id,%20seq").columns, (std::vector<std::string>{"id", "seq"}));
}

TEST(PostgrestQuery, SelectRefusesUnknownColumnsAndEmbedding) {
  auto unknown = refused("select=id,body");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(unknown.code, "42703");
  EXPECT_EQ(unknown.message, "column messages.body does not exist");
  auto embedded = refused("select=*,rooms(*)");
  EXPECT_EQ(embedded.code, "PGRST100");
  EXPECT_NE(embedded.hint.value_or("").find("select=*"), std::string::npos);
  EXPECT_EQ(refused("select=seq::text").code, "PGRST100");
  EXPECT_EQ(refused("select=alias:seq").code, "PGRST100");
}

// The query is a view into the request's target, with more bytes after it: they are not read.
TEST(PostgrestQuery, ReadsOnlyTheQueryItIsGiven) {
  const std::string target = "room_id=eq.7&seq=lt.10 HTTP/1.1";
  auto q = read(std::string_view(target).substr(0, target.find(' ')));
  ASSERT_EQ(q.filters.size(), 2u);
  EXPECT_EQ(q.filters[1].value, "10");
  EXPECT_EQ(read("select=id&text=eq.a+b%2Bc").filters.at(0).value, "a b+c") << "'+' is a space";
}

TEST(PostgrestQuery, FiltersOrderLimitOffset) {
  auto q = read("room_id=eq.7&seq=lt.40&order=seq.desc&limit=10&offset=5");
  ASSERT_EQ(q.filters.size(), 2u);
  EXPECT_EQ(q.filters[0].column, "room_id");
  EXPECT_EQ(q.filters[0].op, "eq");
  EXPECT_EQ(q.filters[0].value, "7");
  EXPECT_EQ(q.filters[1].op, "lt");
  ASSERT_TRUE(q.order);
  EXPECT_EQ(q.order->column, "seq");
  EXPECT_TRUE(q.order->descending);
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.offset, 5);
  EXPECT_FALSE(read("order=created_at.asc.nullslast").order->descending);
}

TEST(PostgrestQuery, RefusesWhatIsOutsideTheSubset) {
  auto op = refused("room_id=in.(1,2)");
  EXPECT_EQ(op.code, "PGRST100");
  EXPECT_NE(op.hint.value_or("").find("eq, lt, lte, gt and gte"), std::string::npos);
  EXPECT_EQ(refused("text=like.*hi*").code, "PGRST100");
  EXPECT_EQ(refused("or=(seq.eq.1,seq.eq.2)").code, "PGRST100");
  EXPECT_EQ(refused("room_id=7").code, "PGRST100");
  EXPECT_EQ(refused("limit=-1").code, "PGRST100");
  EXPECT_EQ(refused("limit=ten").code, "PGRST100");
  EXPECT_EQ(refused("order=seq.desc,id.asc").code, "PGRST100");
  EXPECT_EQ(refused("order=seq.sideways").code, "PGRST100");
  EXPECT_EQ(refused("order=body.desc").code, "42703");
  EXPECT_EQ(refused("nonsense=eq.1").code, "42703");
}

TEST(PostgrestQuery, MessageWindowNeedsOneRoom) {
  auto missing = message_window(read("seq=gt.3"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "PGRST100");
  EXPECT_NE(missing.error().message.find("room_id=eq."), std::string::npos);
  EXPECT_FALSE(message_window(read("room_id=gt.3")));
  EXPECT_FALSE(message_window(read("room_id=eq.3&room_id=eq.4")));
  EXPECT_FALSE(message_window(read("room_id=eq.seven")));
  auto other = message_window(read("room_id=eq.3&sender_id=eq.2"));
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("sender_id"), std::string::npos);
  EXPECT_FALSE(message_window(read("room_id=eq.3&order=text.asc")));
}

TEST(PostgrestQuery, MessageWindowBoundsAreExclusive) {
  auto w = window("room_id=eq.3");
  EXPECT_EQ(w.room_id, 3);
  EXPECT_EQ(w.after, 0);
  EXPECT_FALSE(w.before);
  EXPECT_FALSE(w.descending);
  EXPECT_EQ(w.limit, kMaxRows);
  EXPECT_EQ(window("room_id=eq.3&seq=lt.10").before, 10);
  EXPECT_EQ(window("room_id=eq.3&seq=lte.10").before, 11);
  EXPECT_EQ(window("room_id=eq.3&seq=gt.10").after, 10);
  EXPECT_EQ(window("room_id=eq.3&seq=gte.10").after, 9);
  auto eq = window("room_id=eq.3&seq=eq.10");
  EXPECT_EQ(eq.after, 9);
  EXPECT_EQ(eq.before, 11);
  // Several bounds narrow each other.
  auto both = window("room_id=eq.3&seq=gt.5&seq=gt.2&seq=lt.20&seq=lte.30");
  EXPECT_EQ(both.after, 5);
  EXPECT_EQ(both.before, 20);
  EXPECT_TRUE(window("room_id=eq.3&order=created_at.desc").descending);
  EXPECT_EQ(window("room_id=eq.3&limit=5000").limit, kMaxRows);
  EXPECT_FALSE(message_window(read("room_id=eq.3&offset=20000")));
}

// The ends of int64 read as "no seq that far", with nothing overflowing on the way.
TEST(PostgrestQuery, ExtremeNumbersHoldTheirMeaning) {
  auto high = window("room_id=eq.3&seq=gt.9223372036854775807");
  EXPECT_EQ(messages_in_window(high, 130), 0);
  auto low = window("room_id=eq.3&seq=lte.-9223372036854775808");
  EXPECT_EQ(messages_in_window(low, 130), 0);
  auto every = window("room_id=eq.3&seq=gte.-9223372036854775808&seq=lt.9223372036854775807");
  EXPECT_EQ(messages_in_window(every, 130), 130);
  auto q = read("limit=9223372036854775807&offset=9223372036854775807");
  ASSERT_TRUE(apply_range(q, "0-9223372036854775807", ""));
  EXPECT_FALSE(message_window(q)) << "an offset past the bound is refused";
}

TEST(PostgrestQuery, RangeNarrowsOffsetAndLimit) {
  auto q = read("");
  ASSERT_TRUE(apply_range(q, "0-9", "items"));
  EXPECT_EQ(q.offset, 0);
  EXPECT_EQ(q.limit, 10);
  q = read("limit=5");
  ASSERT_TRUE(apply_range(q, "0-9", ""));
  EXPECT_EQ(q.limit, 5);
  q = read("");
  ASSERT_TRUE(apply_range(q, "20-", ""));
  EXPECT_EQ(q.offset, 20);
  EXPECT_FALSE(q.limit);
  q = read("offset=5&limit=10");
  ASSERT_TRUE(apply_range(q, "0-9", ""));
  EXPECT_EQ(q.offset, 5);
  EXPECT_EQ(q.limit, 5);
  q = read("");
  ASSERT_TRUE(apply_range(q, "", ""));
  EXPECT_FALSE(q.limit);
  auto backwards = apply_range(q, "9-0", "");
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().status, 416u);
  EXPECT_EQ(backwards.error().code, "PGRST103");
  EXPECT_FALSE(apply_range(q, "bytes=0-9", ""));
  EXPECT_FALSE(apply_range(q, "0-9", "bytes"));
}

TEST(PostgrestQuery, ContentRange) {
  EXPECT_EQ(content_range(0, 10), "0-9/*");
  EXPECT_EQ(content_range(20, 1), "20-20/*");
  EXPECT_EQ(content_range(0, 0), "*/*");
  EXPECT_EQ(content_range(0, 10, 130), "0-9/130");
  EXPECT_EQ(content_range(0, 0, 0), "*/0");
}

TEST(PostgrestQuery, Prefer) {
  EXPECT_EQ(parse_prefer("")->returned, ReturnPreference::minimal);
  EXPECT_FALSE(parse_prefer("")->count);
  EXPECT_EQ(parse_prefer("return=representation")->returned, ReturnPreference::representation);
  auto both = parse_prefer("count=exact, return=representation");
  EXPECT_EQ(both->returned, ReturnPreference::representation);
  EXPECT_TRUE(both->count);
  EXPECT_TRUE(parse_prefer("count=planned")->count);
  EXPECT_EQ(parse_prefer("return=minimal,missing=default")->returned, ReturnPreference::minimal);
  EXPECT_FALSE(parse_prefer("return=everything"));
}

TEST(PostgrestQuery, MessagesInWindowCountsTheGaplessSeqs) {
  EXPECT_EQ(messages_in_window(window("room_id=eq.3"), 130), 130);
  EXPECT_EQ(messages_in_window(window("room_id=eq.3&seq=gt.100"), 130), 30);
  EXPECT_EQ(messages_in_window(window("room_id=eq.3&seq=lt.11"), 130), 10);
  EXPECT_EQ(messages_in_window(window("room_id=eq.3&seq=gte.5&seq=lte.7"), 130), 3);
  EXPECT_EQ(messages_in_window(window("room_id=eq.3&seq=gt.200"), 130), 0);
  EXPECT_EQ(messages_in_window(window("room_id=eq.3&seq=lt.500"), 130), 130);
}

TEST(PostgrestQuery, WriteQuery) {
  auto select = parse_write_query("columns=%22room_id%22,%22text%22&select=id,seq", messages_table());
  ASSERT_TRUE(select);
  EXPECT_EQ(*select, (std::vector<std::string>{"id", "seq"}));
  EXPECT_EQ(parse_write_query("columns=%22body%22", messages_table()).error().code, "42703");
  EXPECT_EQ(parse_write_query("on_conflict=client_msg_id", messages_table()).error().code, "PGRST100");
}

TEST(PostgrestQuery, ProjectKeepsTheAskedOrder) {
  json::object row{{"id", 1}, {"seq", 2}, {"text", "hi"}};
  auto out = project(row, {"text", "id"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out.begin()->key(), "text");
  EXPECT_EQ(project(row, {}), row);
}

TEST(PostgrestInsert, RowsBecomeSends) {
  auto sends = insert_params(R"([{"room_id":3,"text":"a","client_msg_id":"c1"},{"room_id":3,"text":"b","sender_id":9}])", UserId{9});
  ASSERT_TRUE(sends) << sends.error().message;
  ASSERT_EQ(sends->size(), 2u);
  EXPECT_EQ((*sends)[0].at("client_msg_id"), "c1");
  EXPECT_FALSE((*sends)[1].contains("sender_id"));
  // A row without client_msg_id gets one of its own, different each time.
  EXPECT_TRUE((*sends)[1].at("client_msg_id").as_string().starts_with("rest-"));
  auto again = insert_params(R"({"room_id":3,"text":"b"})", UserId{9});
  EXPECT_NE(again->at(0).at("client_msg_id"), (*sends)[1].at("client_msg_id"));
}

TEST(PostgrestInsert, RefusesRowsParleyWouldNotStore) {
  auto other_sender = insert_params(R"({"room_id":3,"text":"a","sender_id":4})", UserId{9});
  ASSERT_FALSE(other_sender);
  EXPECT_EQ(other_sender.error().status, 403u);
  EXPECT_EQ(other_sender.error().code, "42501");
  EXPECT_EQ(insert_params(R"({"text":"a"})", UserId{9}).error().code, "23502");
  EXPECT_EQ(insert_params(R"({"room_id":3,"seq":5})", UserId{9}).error().code, "428C9");
  EXPECT_EQ(insert_params(R"({"room_id":3,"body":"a"})", UserId{9}).error().code, "PGRST204");
  EXPECT_EQ(insert_params("not json", UserId{9}).error().code, "PGRST102");
  EXPECT_EQ(insert_params("[1]", UserId{9}).error().code, "PGRST102");
}

json::object room(std::int64_t id, std::string kind, std::int64_t last_seq) {
  return room_row(json::object{{"id", id}, {"kind", kind}, {"name", "r" + std::to_string(id)}, {"created_by", 1},
                               {"created_at", id * 1000}, {"last_seq", last_seq}, {"member_count", 2},
                               {"unread_count", 0}, {"role", "admin"}});
}

TEST(PostgrestRooms, RowsFiltersAndOrder) {
  auto row = room(2, "group", 5);
  EXPECT_EQ(row.size(), 8u);
  EXPECT_FALSE(row.contains("role"));
  EXPECT_EQ(row.at("created_at"), "1970-01-01T00:00:02.000+00:00");
  std::vector<json::object> rows{room(1, "direct", 9), room(2, "group", 5), room(3, "group", 7)};
  auto parse = [](std::string_view q) { return *parse_read_query(q, rooms_table()); };
  auto groups = select_rooms(rows, parse("kind=eq.group&order=last_seq.desc&select=id"));
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->rows.size(), 2u);
  EXPECT_EQ(groups->rows[0], (json::object{{"id", 3}}));
  EXPECT_EQ(groups->rows[1], (json::object{{"id", 2}}));
  auto one = select_rooms(rows, parse("id=eq.2"));
  ASSERT_EQ(one->rows.size(), 1u);
  auto limited = select_rooms(rows, parse("order=id.asc&limit=1&offset=1"));
  ASSERT_EQ(limited->rows.size(), 1u);
  EXPECT_EQ(limited->rows.front().at("id"), 2);
  EXPECT_EQ(limited->matched, 3) << "the count is taken before offset and limit";
  EXPECT_EQ(select_rooms(rows, parse("id=gt.1")).error().code, "PGRST100");
}

}  // namespace
}  // namespace parley::gateway::supabase
