// A room's messages leave a node in seq order, each once, whatever order they arrive in.
#include <gtest/gtest.h>

#include "server/hub/room_stream.hpp"

namespace parley::hub {
namespace {

using Clock = RoomStream::Clock;

bus::Event message(Seq seq, std::size_t bytes = 10) {
  bus::Event e;
  e.audience = bus::Event::Audience::room;
  e.target = 1;
  e.seq = seq;
  e.frame = std::make_shared<const std::string>(bytes, 'x');
  return e;
}

std::vector<Seq> accept(RoomStream& stream, std::initializer_list<Seq> seqs) {
  std::vector<bus::Event> ready;
  for (Seq s : seqs) stream.accept(message(s), Clock::now(), ready);
  std::vector<Seq> out;
  for (const auto& e : ready) out.push_back(e.seq);
  return out;
}

TEST(RoomStream, TheNextMessageGoesAtOnce) {
  RoomStream stream(4);
  EXPECT_EQ(accept(stream, {5, 6, 7}), (std::vector<Seq>{5, 6, 7}));
  EXPECT_EQ(stream.delivered(), 7);
  EXPECT_FALSE(stream.has_gap());
}

TEST(RoomStream, AnEarlyMessageWaitsForTheGapBeforeIt) {
  RoomStream stream(4);
  EXPECT_TRUE(accept(stream, {7, 6}).empty());
  EXPECT_TRUE(stream.has_gap());
  EXPECT_EQ(accept(stream, {5}), (std::vector<Seq>{5, 6, 7}));
  EXPECT_FALSE(stream.has_gap());
}

TEST(RoomStream, ARepeatIsDropped) {
  RoomStream stream(4);
  EXPECT_EQ(accept(stream, {5, 5, 3, 7, 7}), (std::vector<Seq>{5}));
  EXPECT_EQ(stream.repeats(), 3u) << "5 again, 3 (before the start) and 7 while held";
  EXPECT_EQ(accept(stream, {6}), (std::vector<Seq>{6, 7}));
}

TEST(RoomStream, WithoutAStartTheFirstMessageSetsIt) {
  RoomStream stream(std::nullopt);
  EXPECT_EQ(accept(stream, {42, 43}), (std::vector<Seq>{42, 43}));
  EXPECT_TRUE(accept(stream, {41}).empty());
}

TEST(RoomStream, PastItsLimitsAMessageIsNotHeldAndTheGapStays) {
  RoomStream stream(0);
  std::vector<bus::Event> ready;
  for (Seq s = 2; s < 2 + static_cast<Seq>(RoomStream::kMaxHeld) + 10; ++s) stream.accept(message(s), Clock::now(), ready);
  EXPECT_TRUE(ready.empty());
  EXPECT_EQ(stream.overflowed(), 10u);
  // The store brings 1 and, since they were not held, the 10 beyond the limit.
  stream.accept(message(1), Clock::now(), ready);
  EXPECT_EQ(ready.size(), RoomStream::kMaxHeld + 1);
  EXPECT_EQ(stream.delivered(), static_cast<Seq>(RoomStream::kMaxHeld) + 1);
  EXPECT_FALSE(stream.has_gap());

  RoomStream by_bytes(0);
  ready.clear();
  by_bytes.accept(message(2, RoomStream::kMaxHeldBytes), Clock::now(), ready);
  by_bytes.accept(message(3, 1), Clock::now(), ready);
  EXPECT_EQ(by_bytes.overflowed(), 1u) << "the held bytes are at the limit";
}

}  // namespace
}  // namespace parley::hub
