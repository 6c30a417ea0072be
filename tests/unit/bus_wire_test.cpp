// What crosses NATS between nodes: events and presence survive the trip, and bytes that are
// not a message of this version are refused rather than half-read.
#include <gtest/gtest.h>

#include "bus/nats/event_codec.hpp"
#include "bus/nats/presence_codec.hpp"

namespace parley::bus {
namespace {

Event sample_event() {
  Event e;
  e.audience = Event::Audience::rooms;
  e.target = 42;
  e.rooms = {RoomId{7}, RoomId{9}};
  e.frame = std::make_shared<const std::string>(R"({"type":"presence","data":{"user_id":3}})");
  e.skip_connection = 1234;
  e.skip_user = UserId{3};
  e.membership = MembershipChange{RoomId{7}, UserId{5}, true, 11};
  return e;
}

Event sample_message() {
  Event e;
  e.audience = Event::Audience::room;
  e.target = 7;
  e.seq = 12;
  e.author = UserId{5};
  e.frame = std::make_shared<const std::string>(R"({"event":"message","data":{}})");
  return e;
}

TEST(BusWire, EventSurvivesTheTripButNotItsNodeLocalConnection) {
  auto decoded = decode_event(encode_event(sample_event()));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->audience, Event::Audience::rooms);
  EXPECT_EQ(decoded->target, 42);
  EXPECT_EQ(decoded->rooms, (std::vector<RoomId>{RoomId{7}, RoomId{9}}));
  EXPECT_EQ(*decoded->frame, *sample_event().frame);
  EXPECT_EQ(decoded->skip_user, UserId{3});
  EXPECT_EQ(decoded->skip_connection, 0u) << "a connection id means nothing on another node";
  ASSERT_TRUE(decoded->membership);
  EXPECT_EQ(decoded->membership->room, RoomId{7});
  EXPECT_EQ(decoded->membership->user, UserId{5});
  EXPECT_TRUE(decoded->membership->joined);
  EXPECT_EQ(decoded->membership->since_seq, 11);
  EXPECT_TRUE(decoded->from_other_node);
}

TEST(BusWire, AMessageKeepsItsSeqAndAuthor) {
  auto decoded = decode_event(encode_event(sample_message()));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->seq, 12);
  EXPECT_EQ(decoded->author, UserId{5});
  EXPECT_EQ(*decoded->frame, *sample_message().frame);
}

TEST(BusWire, ThePreviousVersionIsStillRead) {
  // What a node of the previous release publishes during a rolling upgrade.
  auto old_message = decode_event(encode_event(sample_message(), 1));
  ASSERT_TRUE(old_message);
  EXPECT_EQ(old_message->seq, 0) << "version 1 has no seq: delivered unsequenced";
  EXPECT_EQ(*old_message->frame, *sample_message().frame);
  auto old_join = decode_event(encode_event(sample_event(), 1));
  ASSERT_TRUE(old_join);
  ASSERT_TRUE(old_join->membership);
  EXPECT_EQ(old_join->membership->room, RoomId{7});
  EXPECT_EQ(old_join->membership->since_seq, -1) << "not known: the first message sets it";
  std::string bytes = encode_event(sample_event(), 1);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(decode_event(std::string_view(bytes).substr(0, cut))) << "cut at " << cut;
}

TEST(BusWire, ASeqOutsideARoomIsRefused) {
  Event e = sample_message();
  e.audience = Event::Audience::user;
  EXPECT_FALSE(decode_event(encode_event(e)));
  e = sample_message();
  e.seq = -1;
  EXPECT_FALSE(decode_event(encode_event(e)));
}

TEST(BusWire, EventWithoutMembershipOrRooms) {
  Event e;
  e.audience = Event::Audience::user;
  e.target = 8;
  e.frame = std::make_shared<const std::string>("{}");
  auto decoded = decode_event(encode_event(e));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->audience, Event::Audience::user);
  EXPECT_FALSE(decoded->membership);
  EXPECT_TRUE(decoded->rooms.empty());
}

TEST(BusWire, ARelayedRealtimeBroadcastKeepsItsAudienceAndBytes) {
  Event e;
  e.audience = Event::Audience::realtime_topic;
  e.frame = std::make_shared<const std::string>(R"({"topic":"realtime:room:4","broadcast":{"event":"typing"}})");
  auto decoded = decode_event(encode_event(e));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->audience, Event::Audience::realtime_topic);
  EXPECT_EQ(*decoded->frame, *e.frame);
  EXPECT_TRUE(decoded->from_other_node);
  // One past the last audience is corruption.
  std::string bytes = encode_event(e);
  bytes[1] = static_cast<char>(static_cast<int>(Event::Audience::realtime_topic) + 1);
  EXPECT_FALSE(decode_event(bytes));
}

TEST(BusWire, TruncatedOrPaddedEventsAreRefused) {
  std::string bytes = encode_event(sample_event());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(decode_event(std::string_view(bytes).substr(0, cut))) << "cut at " << cut;
  EXPECT_FALSE(decode_event(bytes + "x"));
  std::string other_version = bytes;
  other_version[0] = static_cast<char>(kWireVersion + 1);
  EXPECT_FALSE(decode_event(other_version));
  other_version[0] = 0;
  EXPECT_FALSE(decode_event(other_version));
  std::string bad_audience = bytes;
  bad_audience[1] = 9;
  EXPECT_FALSE(decode_event(bad_audience));
}

TEST(BusWire, AHugeRoomCountIsRefusedWithoutReservingForIt) {
  std::string bytes = encode_event(sample_event());
  // version, audience, target (8), skip_user (8), then the room count.
  bytes[18] = bytes[19] = bytes[20] = bytes[21] = '\xff';
  EXPECT_FALSE(decode_event(bytes));
}

TEST(BusWire, PresenceMessagesSurviveTheTrip) {
  PresenceMessage beat{PresenceMessage::Kind::heartbeat, 0xabcdef0123456789ULL, {UserId{1}, UserId{2}}};
  auto decoded = decode_presence(encode_presence(beat));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->kind, PresenceMessage::Kind::heartbeat);
  EXPECT_EQ(decoded->node, beat.node);
  EXPECT_EQ(decoded->users, beat.users);

  PresenceMessage leaving{PresenceMessage::Kind::leaving, 5, {}};
  ASSERT_TRUE(decode_presence(encode_presence(leaving)));
}

TEST(BusWire, AnOnlineAnnouncementNamesExactlyOneUser) {
  EXPECT_FALSE(decode_presence(encode_presence({PresenceMessage::Kind::online, 5, {}})));
  EXPECT_FALSE(decode_presence(encode_presence({PresenceMessage::Kind::offline, 5, {UserId{1}, UserId{2}}})));
  EXPECT_TRUE(decode_presence(encode_presence({PresenceMessage::Kind::offline, 5, {UserId{1}}})));
  std::string bytes = encode_presence({PresenceMessage::Kind::online, 5, {UserId{1}}});
  bytes[1] = 0;
  EXPECT_FALSE(decode_presence(bytes));
}

}  // namespace
}  // namespace parley::bus
