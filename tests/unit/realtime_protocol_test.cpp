// Supabase Realtime's wire pieces, without sockets: Phoenix messages in both serializers and the
// binary broadcasts, what a join asks for, the topic registry's broadcast and presence, and a
// message as a row of the messages table.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <vector>

#include "server/gateway/realtime/join_config.hpp"
#include "server/gateway/realtime/phoenix_message.hpp"
#include "server/gateway/realtime/topic_relay.hpp"
#include "server/gateway/realtime/topic_registry.hpp"
#include "server/gateway/supabase/message_row.hpp"

namespace parley::gateway::realtime {
namespace {

namespace json = boost::json;

std::string bytes_of(std::initializer_list<int> header, std::string_view rest) {
  std::string out;
  for (int b : header) out.push_back(static_cast<char>(b));
  out.append(rest);
  return out;
}

TEST(PhoenixMessage, ReadsAnArrayWithTheSerializer2) {
  auto m = decode_message(R"(["1","2","realtime:room:7","phx_join",{"config":{}}])", false, Serializer::v2);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->join_ref, "1");
  EXPECT_EQ(m->ref, "2");
  EXPECT_EQ(m->topic, "realtime:room:7");
  EXPECT_EQ(m->event, "phx_join");
  EXPECT_TRUE(m->payload.is_object());
}

TEST(PhoenixMessage, ReadsAnObjectWithTheSerializer1AndNullRefs) {
  auto m = decode_message(R"({"topic":"phoenix","event":"heartbeat","payload":{},"ref":"12","join_ref":null})", false,
                          Serializer::v1);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_FALSE(m->join_ref);
  EXPECT_EQ(m->ref, "12");
  EXPECT_EQ(m->topic, "phoenix");
}

TEST(PhoenixMessage, RefusesTheOtherSerializersShapeAndBrokenJson) {
  EXPECT_FALSE(decode_message(R"({"topic":"t","event":"e","payload":{}})", false, Serializer::v2));
  EXPECT_FALSE(decode_message(R"([null,null,"t","e",{}])", false, Serializer::v1));
  EXPECT_FALSE(decode_message(R"([null,null,"t","e"])", false, Serializer::v2));
  EXPECT_EQ(decode_message("[", false, Serializer::v2).error().code, ErrorCode::malformed_json);
  EXPECT_FALSE(decode_message(R"([null,null,5,"e",{}])", false, Serializer::v2));
}

// 1e400 reads as infinity, which would be written back as `Infinity`, not JSON, to every peer.
TEST(PhoenixMessage, RefusesANumberTooLargeForADouble) {
  const auto refused = decode_message(R"([null,"1","realtime:x","broadcast",{"payload":{"n":[1,-1e400]}}])", false,
                                      Serializer::v2);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_payload);
  EXPECT_NE(refused.error().message.find("too large"), std::string::npos);
  EXPECT_TRUE(decode_message(R"([null,"1","realtime:x","broadcast",{"payload":{"n":1e300}}])", false, Serializer::v2));
  const auto binary = decode_message(bytes_of({3, 0, 0, 10, 1, 0, 1}, R"(realtime:xm{"n":1e999})"), true, Serializer::v2);
  ASSERT_TRUE(binary);
  ASSERT_TRUE(binary->invalid);
  EXPECT_EQ(binary->invalid->code, ErrorCode::invalid_payload);
}

// The frame realtime-js 2.119 sent for channel.send({type:'broadcast', event:'msg', payload:{text:'hi'}}).
TEST(PhoenixMessage, ReadsTheBinaryBroadcastPushThatRealtimeJsSends) {
  const std::string frame = bytes_of({3, 1, 2, 19, 3, 0, 1}, R"(911realtime:room:lobbymsg{"text":"hi"})");
  auto m = decode_message(frame, true, Serializer::v2);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->join_ref, "9");
  EXPECT_EQ(m->ref, "11");
  EXPECT_EQ(m->topic, "realtime:room:lobby");
  EXPECT_EQ(m->event, "broadcast");
  EXPECT_EQ(json::serialize(m->payload), R"({"type":"broadcast","event":"msg","payload":{"text":"hi"}})");
  EXPECT_FALSE(m->binary_payload);
}

TEST(PhoenixMessage, KeepsABinaryPayloadAsBytes) {
  const std::string frame = bytes_of({3, 1, 1, 3, 1, 0, 0}, std::string("12r:tx\0\xff", 8));
  auto m = decode_message(frame, true, Serializer::v2);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_TRUE(m->binary_payload);
  EXPECT_EQ(*m->binary_payload, std::string("\0\xff", 2));
  EXPECT_EQ(m->payload.at("event"), "x");
}

TEST(PhoenixMessage, RefusesShortOrUnknownBinaryMessages) {
  EXPECT_FALSE(decode_message(bytes_of({3, 1, 1}, ""), true, Serializer::v2));
  EXPECT_FALSE(decode_message(bytes_of({3, 9, 0, 0, 0, 0, 1}, "12"), true, Serializer::v2));
  EXPECT_FALSE(decode_message(bytes_of({4, 0, 0, 0, 0, 0, 1}, "{}"), true, Serializer::v2));
  EXPECT_FALSE(decode_message(bytes_of({3, 0, 0, 0, 0, 0, 7}, "{}"), true, Serializer::v2));
  EXPECT_FALSE(decode_message(bytes_of({3, 0, 0, 0, 0, 0, 1}, "{}"), true, Serializer::v1));
}

TEST(PhoenixMessage, WritesBothSerializersAndTheBinaryBroadcast) {
  EXPECT_EQ(encode_message(std::nullopt, std::string("12"), "phoenix", "phx_reply", json::object{{"status", "ok"}}, Serializer::v2),
            R"([null,"12","phoenix","phx_reply",{"status":"ok"}])");
  const std::string v1 = encode_message(std::string("1"), std::nullopt, "realtime:a", "phx_close", json::object{}, Serializer::v1);
  EXPECT_EQ(v1, R"({"join_ref":"1","ref":null,"topic":"realtime:a","event":"phx_close","payload":{}})");
  EXPECT_EQ(encode_binary_broadcast("t", "ev", std::string("\x01\x02", 2)), bytes_of({4, 1, 2, 0, 0}, std::string("tev\x01\x02", 5)));
}

TEST(PhoenixMessage, KnowsItsSerializers) {
  EXPECT_EQ(serializer_named("1.0.0"), Serializer::v1);
  EXPECT_EQ(serializer_named(""), Serializer::v1);
  EXPECT_EQ(serializer_named("2.0.0"), Serializer::v2);
  EXPECT_FALSE(serializer_named("3.0.0"));
}

TEST(JoinConfig, ReadsWhatRealtimeJsSends) {
  auto config = read_join_config(json::parse(R"({"config":{"broadcast":{"ack":"true","self":true},
      "presence":{"key":"alice","enabled":true},
      "postgres_changes":[{"event":"INSERT","schema":"public","table":"messages","filter":"room_id=eq.5","after_seq":41},
                          {"event":"*","schema":"public","table":"messages"}],
      "private":false},"access_token":"tok"})"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->broadcast_ack);
  EXPECT_TRUE(config->broadcast_self);
  EXPECT_TRUE(config->presence_enabled);
  EXPECT_EQ(config->presence_key, "alice");
  EXPECT_EQ(config->access_token, "tok");
  ASSERT_EQ(config->changes.size(), 2u);
  EXPECT_EQ(config->changes[0].room, RoomId{5});
  EXPECT_EQ(config->changes[0].after_seq, 41);
  EXPECT_EQ(config->changes[0].filter, "room_id=eq.5");
  EXPECT_FALSE(config->changes[1].room);
}

TEST(JoinConfig, RefusesWhatParleyDoesNotServeInWords) {
  const auto refusal = [](std::string_view changes) {
    auto config = read_join_config(json::parse(std::string(R"({"config":{"postgres_changes":[)") + std::string(changes) + "]}}"));
    return config ? std::string() : config.error().message;
  };
  EXPECT_NE(refusal(R"({"event":"DELETE","schema":"public","table":"messages"})").find("INSERT"), std::string::npos);
  EXPECT_NE(refusal(R"({"event":"INSERT","schema":"public","table":"profiles"})").find("public.messages"), std::string::npos);
  EXPECT_NE(refusal(R"({"event":"INSERT","schema":"public","table":"messages","filter":"sender_id=eq.1"})").find("room_id=eq."),
            std::string::npos);
  EXPECT_NE(refusal(R"({"event":"INSERT","schema":"public","table":"messages","after_seq":3})").find("needs a room"),
            std::string::npos);
  EXPECT_FALSE(read_join_config(json::parse(R"({"config":{"broadcast":{"self":"maybe"}}})")));
}

TEST(JoinConfig, NamesTheRoomOfARoomTopicOnly) {
  EXPECT_EQ(room_of_topic("realtime:room:42"), RoomId{42});
  EXPECT_FALSE(room_of_topic("realtime:room:"));
  EXPECT_FALSE(room_of_topic("realtime:room:4x"));
  EXPECT_FALSE(room_of_topic("realtime:room:-4"));
  EXPECT_FALSE(room_of_topic("realtime:lobby"));
}

// A channel's connection as the registry sees it: it records what it is sent.
class Recorder : public hub::Subscriber {
 public:
  explicit Recorder(std::uint64_t id) : id_(id) {}
  [[nodiscard]] std::uint64_t connection_id() const override { return id_; }
  [[nodiscard]] UserId user_id() const override { return UserId{static_cast<std::int64_t>(id_)}; }
  void deliver(hub::Frame frame) override { frames.push_back(*frame); }
  void go_away() override {}
  void end_login(std::uint32_t) override {}
  std::vector<std::string> frames;

 private:
  std::uint64_t id_;
};

Joiner joiner_of(const std::shared_ptr<Recorder>& r, bool self = false, bool presence = true,
                 Serializer serializer = Serializer::v2) {
  return Joiner{.connection = r->connection_id(), .serializer = serializer, .join_ref = "j" + std::to_string(r->connection_id()),
                .receive_own_broadcasts = self, .presence = presence, .sink = r};
}

json::array parsed(const std::string& frame) { return json::parse(frame).as_array(); }

TEST(TopicRegistry, ABroadcastReachesTheOthersAndTheSenderOnlyWhenItAsked) {
  TopicRegistry topics;
  auto a = std::make_shared<Recorder>(1), b = std::make_shared<Recorder>(2), c = std::make_shared<Recorder>(3);
  topics.join("realtime:x", joiner_of(a, false, false));
  topics.join("realtime:x", joiner_of(b, true, false));
  topics.join("realtime:y", joiner_of(c, false, false));
  topics.broadcast("realtime:x", 1, json::object{{"type", "broadcast"}, {"event", "typing"}, {"payload", json::object{}}}, std::nullopt);
  topics.broadcast("realtime:x", 2, json::object{{"type", "broadcast"}, {"event", "stop"}, {"payload", json::object{}}}, std::nullopt);
  ASSERT_EQ(a->frames.size(), 1u);
  EXPECT_EQ(parsed(a->frames[0])[4].at("event"), "stop");
  ASSERT_EQ(b->frames.size(), 2u);
  EXPECT_EQ(parsed(b->frames[0])[4].at("event"), "typing");
  EXPECT_EQ(parsed(b->frames[1])[4].at("event"), "stop");
  EXPECT_TRUE(c->frames.empty());
}

TEST(TopicRegistry, BytesGoAsBytesToSerializer2AndNotToSerializer1) {
  TopicRegistry topics;
  auto v2 = std::make_shared<Recorder>(1), v1 = std::make_shared<Recorder>(2);
  topics.join("realtime:x", joiner_of(v2, false, false, Serializer::v2));
  topics.join("realtime:x", joiner_of(v1, false, false, Serializer::v1));
  topics.broadcast("realtime:x", 9, json::object{{"type", "broadcast"}, {"event", "e"}}, std::string("\x01", 1));
  ASSERT_EQ(v2->frames.size(), 1u);
  EXPECT_EQ(v2->frames[0], bytes_of({4, 10, 1, 0, 0}, std::string("realtime:xe\x01", 12)));
  EXPECT_TRUE(v1->frames.empty());
}

TEST(TopicRegistry, PresenceStateThenOneDiffPerChangeAndLeavesWhenAJoinerGoes) {
  TopicRegistry topics;
  auto a = std::make_shared<Recorder>(1), b = std::make_shared<Recorder>(2);
  topics.join("realtime:x", joiner_of(a));
  ASSERT_EQ(a->frames.size(), 1u);
  auto state = parsed(a->frames[0]);
  EXPECT_EQ(state[0], "j1");
  EXPECT_EQ(state[3], "presence_state");
  EXPECT_TRUE(state[4].as_object().empty());

  topics.track("realtime:x", 1, "alice", json::object{{"status", "here"}});
  topics.join("realtime:x", joiner_of(b));
  auto b_state = parsed(b->frames.at(0));
  EXPECT_EQ(b_state[4].at("alice").at("metas").as_array().at(0).at("status"), "here");

  // An update is one diff: the new meta joins, the old one leaves, each with its own phx_ref.
  topics.track("realtime:x", 1, "alice", json::object{{"status", "away"}});
  auto diff = parsed(b->frames.at(1));
  EXPECT_EQ(diff[3], "presence_diff");
  const auto& joined = diff[4].at("joins").at("alice").at("metas").as_array().at(0);
  const auto& left = diff[4].at("leaves").at("alice").at("metas").as_array().at(0);
  EXPECT_EQ(joined.at("status"), "away");
  EXPECT_EQ(left.at("status"), "here");
  EXPECT_NE(joined.at("phx_ref"), left.at("phx_ref"));

  topics.leave("realtime:x", 1);
  auto gone = parsed(b->frames.at(2));
  EXPECT_EQ(gone[4].at("leaves").at("alice").at("metas").as_array().at(0).at("status"), "away");
  EXPECT_TRUE(gone[4].at("joins").as_object().empty());
  topics.leave("realtime:x", 2);
  EXPECT_EQ(topics.topic_count(), 0u);
}

TEST(TopicRegistry, AJoinerWithoutPresenceGetsTheStateBeforeItsFirstTrack) {
  TopicRegistry topics;
  auto a = std::make_shared<Recorder>(1);
  topics.join("realtime:x", joiner_of(a, false, false));
  EXPECT_TRUE(a->frames.empty());
  topics.track("realtime:x", 1, "k", json::object{});
  ASSERT_EQ(a->frames.size(), 2u);
  EXPECT_EQ(parsed(a->frames[0])[3], "presence_state");
  EXPECT_EQ(parsed(a->frames[1])[3], "presence_diff");
}

TEST(TopicRelay, CarriesABroadcastAndAnyBytesUnchanged) {
  const std::string bytes("\x00\xff\x10 binary", 10);
  auto back = decode_relayed(encode_relayed(RelayedBroadcast{
      "realtime:room:3", json::object{{"type", "broadcast"}, {"event", "e"}}, bytes}));
  ASSERT_TRUE(back);
  const auto& broadcast = std::get<RelayedBroadcast>(*back);
  EXPECT_EQ(broadcast.topic, "realtime:room:3");
  EXPECT_EQ(broadcast.payload.at("event"), "e");
  EXPECT_EQ(broadcast.bytes, bytes);
  auto plain = decode_relayed(encode_relayed(RelayedBroadcast{"t", json::object{}, std::nullopt}));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(std::get<RelayedBroadcast>(*plain).bytes);
  EXPECT_FALSE(decode_relayed("{\"topic\":3}"));
  EXPECT_FALSE(decode_relayed(R"({"topic":"t","broadcast":{},"bytes":"%%%"})"));
}

TEST(TopicRelay, CarriesPresencesAndTheirLeaving) {
  auto back = decode_relayed(encode_relayed(std::vector<RelayedPresence>{
      {"realtime:a", 77, "alice", json::object{{"phx_ref", "F1"}}}, {"realtime:b", 78, "bob", std::nullopt}}));
  ASSERT_TRUE(back);
  const auto& presences = std::get<std::vector<RelayedPresence>>(*back);
  ASSERT_EQ(presences.size(), 2u);
  EXPECT_EQ(presences[0].connection, 77u);
  EXPECT_EQ(presences[0].meta->at("phx_ref"), "F1");
  EXPECT_EQ(presences[1].key, "bob");
  EXPECT_FALSE(presences[1].meta);
  EXPECT_FALSE(decode_relayed(R"({"presences":[{"topic":"t"}]})"));
}

// Two nodes' registries joined by a relay that hands each what the other publishes.
TEST(TopicRegistry, PresenceCrossesNodesAndLeavesWhenItsNodeStopsAnnouncingIt) {
  TopicRegistry here, there;
  std::vector<std::string> from_here, from_there;
  here.relay_with([&](std::string s) { from_here.push_back(std::move(s)); });
  there.relay_with([&](std::string s) { from_there.push_back(std::move(s)); });
  const auto t0 = TopicRegistry::Clock::now();
  const auto deliver = [](std::vector<std::string>& out, TopicRegistry& to, TopicRegistry::Clock::time_point at) {
    for (const auto& s : out) to.receive(s, at);
    out.clear();
  };

  auto alice = std::make_shared<Recorder>(1), bob = std::make_shared<Recorder>(2);
  here.join("realtime:x", joiner_of(alice));
  here.track("realtime:x", 1, "alice", json::object{{"on", "here"}});
  deliver(from_here, there, t0);
  there.join("realtime:x", joiner_of(bob));
  // Bob, on the other node, starts from a state that holds alice.
  EXPECT_EQ(parsed(bob->frames.at(0))[4].at("alice").at("metas").as_array().size(), 1u);

  // A broadcast crosses too, and only once.
  here.broadcast("realtime:x", 1, json::object{{"type", "broadcast"}, {"event", "typing"}}, std::nullopt);
  deliver(from_here, there, t0);
  ASSERT_EQ(bob->frames.size(), 2u);
  EXPECT_EQ(parsed(bob->frames[1])[3], "broadcast");

  // Announced again, unchanged: no diff. Not announced for long enough: it leaves.
  here.refresh(t0);
  deliver(from_here, there, t0 + std::chrono::seconds(5));
  EXPECT_EQ(bob->frames.size(), 2u);
  there.refresh(t0 + std::chrono::seconds(1));
  EXPECT_EQ(bob->frames.size(), 2u);
  there.refresh(t0 + std::chrono::seconds(6));
  ASSERT_EQ(bob->frames.size(), 3u);
  auto diff = parsed(bob->frames[2]);
  EXPECT_EQ(diff[3], "presence_diff");
  EXPECT_EQ(diff[4].at("leaves").at("alice").at("metas").as_array().size(), 1u);

  // A leave said by its node ends it at once.
  here.track("realtime:x", 1, "alice", json::object{{"on", "back"}});
  deliver(from_here, there, t0 + std::chrono::seconds(7));
  here.leave("realtime:x", 1);
  deliver(from_here, there, t0 + std::chrono::seconds(7));
  ASSERT_EQ(bob->frames.size(), 5u);
  EXPECT_EQ(parsed(bob->frames[3])[4].at("joins").at("alice").at("metas").as_array().at(0).at("on"), "back");
  EXPECT_EQ(parsed(bob->frames[4])[4].at("leaves").at("alice").at("metas").as_array().at(0).at("on"), "back");
  // What bob's node says cannot end alice's own presence here.
  EXPECT_TRUE(from_there.empty());
}

TEST(MessageRow, HasEveryColumnInTableOrderWithATimestampText) {
  const json::object message{{"id", 9}, {"room_id", 3}, {"seq", 4}, {"sender_id", 2}, {"type", "text"},
                             {"text", "hi"}, {"created_at", 1767322245678}};
  const json::object row = supabase::message_row(message);
  std::vector<std::string> names;
  for (const auto& [name, value] : row) names.emplace_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"id", "room_id", "seq", "sender_id", "client_msg_id", "type", "text",
                                             "attachment", "created_at", "reply_to", "edited_at", "deleted"}));
  EXPECT_TRUE(row.at("client_msg_id").is_null());
  EXPECT_TRUE(row.at("reply_to").is_null());
  EXPECT_EQ(row.at("deleted"), false) << "a message not deleted";
  EXPECT_TRUE(row.at("attachment").is_null());
  EXPECT_EQ(row.at("created_at"), "2026-01-02T02:50:45.678+00:00");
  EXPECT_EQ(supabase::message_columns().size(), names.size());
  EXPECT_EQ(supabase::timestamp_text(0), "1970-01-01T00:00:00.000+00:00");
}

}  // namespace
}  // namespace parley::gateway::realtime
