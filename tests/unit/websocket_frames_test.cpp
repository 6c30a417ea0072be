// The gateway's own WebSocket framing: what a client's bytes become, in any split, and which
// bytes close the connection with which code.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/gateway/websocket/frame_codec.hpp"
#include "domain/validation.hpp"

namespace parley::gateway::websocket {
namespace {

// A client frame as RFC 6455 has a client send it: masked.
std::string client_frame(std::uint8_t opcode, std::string_view payload, bool fin = true, bool masked = true) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const unsigned char mask_bit = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
  }
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (masked) out.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(masked ? static_cast<char>(payload[i] ^ mask[i % 4]) : payload[i]);
  return out;
}

struct Received {
  Opcode opcode;
  std::string payload;
  std::uint16_t close_code;
};

struct Outcome {
  std::vector<Received> messages;
  std::optional<ReadFailure> failure;
};

// Feeds `bytes` in pieces of `piece` bytes, as reads from a socket might return them.
Outcome read_all(std::string bytes, std::size_t piece = 0, std::size_t limit = 1 << 20) {
  FrameReader reader(limit);
  Outcome outcome;
  if (piece == 0) piece = bytes.size();
  for (std::size_t at = 0; at < bytes.size() && !outcome.failure; at += piece) {
    std::string chunk = bytes.substr(at, piece);
    outcome.failure = reader.feed(chunk.data(), chunk.size(), [&](const Message& m) {
      outcome.messages.push_back({m.opcode, std::string(m.payload), m.close_code});
      return true;
    });
  }
  return outcome;
}

TEST(WebSocketFrames, WholeFramesInOneReadBecomeMessagesInOrder) {
  auto outcome = read_all(client_frame(1, R"({"op":"ping"})") + client_frame(2, "bin") + client_frame(1, ""));
  ASSERT_FALSE(outcome.failure);
  ASSERT_EQ(outcome.messages.size(), 3u);
  EXPECT_EQ(outcome.messages[0].opcode, Opcode::text);
  EXPECT_EQ(outcome.messages[0].payload, R"({"op":"ping"})");
  EXPECT_EQ(outcome.messages[1].opcode, Opcode::binary);
  EXPECT_EQ(outcome.messages[1].payload, "bin");
  EXPECT_EQ(outcome.messages[2].payload, "");
}

TEST(WebSocketFrames, AnySplitOfTheBytesGivesTheSameMessages) {
  const std::string medium(300, 'm');      // 16-bit length
  const std::string large(70'000, 'L');    // 64-bit length
  const std::string bytes = client_frame(1, "first") + client_frame(1, medium) + client_frame(1, large) + client_frame(9, "p");
  for (std::size_t piece : {1, 2, 3, 7, 64, 1000, 65536}) {
    auto outcome = read_all(bytes, piece);
    ASSERT_FALSE(outcome.failure) << "piece " << piece;
    ASSERT_EQ(outcome.messages.size(), 4u) << "piece " << piece;
    EXPECT_EQ(outcome.messages[0].payload, "first");
    EXPECT_EQ(outcome.messages[1].payload, medium);
    EXPECT_EQ(outcome.messages[2].payload, large);
    EXPECT_EQ(outcome.messages[3].opcode, Opcode::ping);
  }
}

TEST(WebSocketFrames, NothingIsHeldOnceAFrameIsRead) {
  FrameReader reader(1 << 20);
  std::string bytes = client_frame(1, std::string(70'000, 'x'));
  std::string first = bytes.substr(0, 1000), rest = bytes.substr(1000);
  int seen = 0;
  auto count = [&](const Message&) { return ++seen, true; };
  EXPECT_FALSE(reader.feed(first.data(), first.size(), count));
  EXPECT_EQ(reader.buffered(), 1000u);
  EXPECT_FALSE(reader.feed(rest.data(), rest.size(), count));
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(WebSocketFrames, FragmentsAreJoinedAndControlFramesMayComeBetweenThem) {
  auto outcome = read_all(client_frame(1, "hel", false) + client_frame(9, "are you there") +
                              client_frame(0, "lo ", false) + client_frame(0, "world"),
                          5);
  ASSERT_FALSE(outcome.failure);
  ASSERT_EQ(outcome.messages.size(), 2u);
  EXPECT_EQ(outcome.messages[0].opcode, Opcode::ping);
  EXPECT_EQ(outcome.messages[0].payload, "are you there");
  EXPECT_EQ(outcome.messages[1].opcode, Opcode::text);
  EXPECT_EQ(outcome.messages[1].payload, "hello world");
}

TEST(WebSocketFrames, CloseCarriesItsCodeAndReason) {
  std::string payload = "\x03\xe8" "bye";  // 1000
  auto outcome = read_all(client_frame(8, payload));
  ASSERT_EQ(outcome.messages.size(), 1u);
  EXPECT_EQ(outcome.messages[0].opcode, Opcode::close);
  EXPECT_EQ(outcome.messages[0].close_code, 1000);
  EXPECT_EQ(outcome.messages[0].payload, "bye");

  auto empty = read_all(client_frame(8, ""));
  ASSERT_EQ(empty.messages.size(), 1u);
  EXPECT_EQ(empty.messages[0].close_code, kCloseNoStatus);
}

void expect_failure(const std::string& bytes, std::uint16_t code, std::size_t limit = 1 << 20) {
  auto outcome = read_all(bytes, 0, limit);
  ASSERT_TRUE(outcome.failure.has_value()) << "no failure";
  EXPECT_EQ(outcome.failure->close_code, code) << outcome.failure->reason;
  EXPECT_FALSE(outcome.failure->reason.empty());
}

TEST(WebSocketFrames, ProtocolViolationsClose1002) {
  expect_failure(client_frame(1, "x", true, false), kCloseProtocolError);  // unmasked
  std::string reserved = client_frame(1, "x");
  reserved[0] = static_cast<char>(reserved[0] | 0x40);
  expect_failure(reserved, kCloseProtocolError);
  expect_failure(client_frame(3, "x"), kCloseProtocolError);                           // unknown opcode
  expect_failure(client_frame(9, "p", false), kCloseProtocolError);                    // fragmented ping
  expect_failure(client_frame(9, std::string(126, 'p')), kCloseProtocolError);         // ping too long
  expect_failure(client_frame(0, "x"), kCloseProtocolError);                           // nothing to continue
  expect_failure(client_frame(1, "a", false) + client_frame(1, "b"), kCloseProtocolError);  // interleaved
  expect_failure(client_frame(8, "\x03"), kCloseProtocolError);                        // one-byte close code
  expect_failure(client_frame(8, "\x03\xed"), kCloseProtocolError);                    // 1005 may not be sent
}

TEST(WebSocketFrames, TextThatIsNotUtf8Closes1007ButBinaryIsLeftToTheCaller) {
  expect_failure(client_frame(1, "\xff\xfe"), kCloseInvalidPayload);
  // Split in the middle of a character across fragments is fine; invalid overall is not.
  auto split = read_all(client_frame(1, "caf\xc3", false) + client_frame(0, "\xa9"));
  ASSERT_FALSE(split.failure);
  EXPECT_EQ(split.messages.at(0).payload, "caf\xc3\xa9");
  expect_failure(client_frame(1, "ok", false) + client_frame(0, "\xc3"), kCloseInvalidPayload);
  auto binary = read_all(client_frame(2, "\xff\xfe"));
  ASSERT_FALSE(binary.failure);
  EXPECT_EQ(binary.messages.at(0).payload, "\xff\xfe");
}

TEST(WebSocketFrames, AMessageOverTheLimitCloses1009BeforeItsPayloadArrives) {
  std::string header_only = client_frame(1, std::string(2000, 'x')).substr(0, 8);
  expect_failure(header_only, kCloseTooBig, 1000);
  // Fragments count together.
  expect_failure(client_frame(1, std::string(600, 'a'), false) + client_frame(0, std::string(600, 'b')), kCloseTooBig, 1000);
}

TEST(WebSocketFrames, ReadingStopsWhenTheCallerSaysSo) {
  FrameReader reader(1 << 20);
  std::string bytes = client_frame(8, "\x03\xe8") + client_frame(1, "after close");
  std::vector<Opcode> seen;
  auto failure = reader.feed(bytes.data(), bytes.size(), [&](const Message& m) {
    seen.push_back(m.opcode);
    return m.opcode != Opcode::close;
  });
  EXPECT_FALSE(failure);
  EXPECT_EQ(seen, std::vector<Opcode>{Opcode::close});
}

TEST(WebSocketFrames, ServerFramesUseTheShortestLengthAndNoMask) {
  for (std::size_t size : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string out;
    append_frame(out, Opcode::text, std::string(size, 'z'));
    const std::size_t header = size < 126 ? 2 : size <= 65535 ? 4 : 10;
    ASSERT_EQ(out.size(), header + size) << size;
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81);
    EXPECT_EQ(static_cast<unsigned char>(out[1]) & 0x80, 0) << "server frames are never masked";
  }
}

TEST(WebSocketFrames, ACloseReasonIsCutToFitWithoutSplittingACharacter) {
  std::string reason;
  for (int i = 0; i < 100; ++i) reason += "\xc3\xa9";  // 200 bytes of "é"
  std::string payload = close_payload(4008, reason);
  EXPECT_LE(payload.size(), 125u);
  EXPECT_EQ(static_cast<unsigned char>(payload[0]) << 8 | static_cast<unsigned char>(payload[1]), 4008);
  EXPECT_TRUE(domain::is_valid_utf8(std::string_view(payload).substr(2)));
}

}  // namespace
}  // namespace parley::gateway::websocket
