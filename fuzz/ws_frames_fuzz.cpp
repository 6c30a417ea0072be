// Feeds the gateway's WebSocket frame reader (server/gateway/websocket/frame_codec.hpp) what a
// client could send after the handshake: the first byte picks the message limit, where the
// bytes are cut and after how many messages the caller stops; the rest is the stream.
// Beyond "no crash", it checks that:
//  - the stream read in one piece, one byte at a time, or in two pieces gives the same messages
//    and the same failure: a socket may return a client's bytes in any split;
//  - a text message is UTF-8, a close code is one a peer may send, a control frame's payload is
//    at most 125 bytes, and no message is over the limit;
//  - the reader never holds more than it was given;
//  - every message, written again by append_frame (close_payload for a close) and masked as a
//    client would, reads back the same.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/validation.hpp"
#include "fuzz_support.hpp"
#include "server/gateway/websocket/frame_codec.hpp"

namespace {

using namespace parley::gateway::websocket;
using parley::fuzz::require;

struct Received {
  Opcode opcode;
  std::string payload;
  std::uint16_t close_code;
  bool operator==(const Received&) const = default;
};

struct Outcome {
  std::vector<Received> messages;
  std::optional<std::uint16_t> failure_code;
  std::string failure_reason;
  bool operator==(const Outcome&) const = default;
};

struct Plan {
  std::size_t limit;
  std::size_t stop_after;  // the caller stops reading after this many messages; 0: never
  std::size_t cut;         // where the two-piece read cuts the stream
};

bool is_control(Opcode opcode) { return static_cast<std::uint8_t>(opcode) >= 8; }

void check_message(const Message& m, std::size_t limit) {
  require(m.opcode != Opcode::continuation, "a message has a data opcode");
  require(m.payload.size() <= (is_control(m.opcode) ? 125 : limit), "a message is within its limit");
  if (m.opcode == Opcode::text) require(parley::domain::is_valid_utf8(m.payload), "a text message is UTF-8");
  if (m.opcode == Opcode::close) {
    require(parley::domain::is_valid_utf8(m.payload), "a close reason is UTF-8");
    require(m.close_code == kCloseNoStatus || (m.close_code >= 1000 && m.close_code < 5000), "a close code is sendable");
  }
}

// Reads `stream` in the pieces that start at `cuts` (sorted, the first one 0).
Outcome read_in_pieces(std::string_view stream, const std::vector<std::size_t>& cuts, const Plan& plan) {
  FrameReader reader(plan.limit);
  Outcome outcome;
  bool stopped = false;
  std::size_t fed = 0;
  for (std::size_t i = 0; i < cuts.size() && !stopped && !outcome.failure_code; ++i) {
    const std::size_t end = i + 1 < cuts.size() ? cuts[i + 1] : stream.size();
    std::string piece(stream.substr(cuts[i], end - cuts[i]));  // the reader unmasks in place
    fed += piece.size();
    auto failure = reader.feed(piece.data(), piece.size(), [&](const Message& m) {
      check_message(m, plan.limit);
      outcome.messages.push_back({m.opcode, std::string(m.payload), m.close_code});
      stopped = plan.stop_after != 0 && outcome.messages.size() == plan.stop_after;
      return !stopped;
    });
    if (failure) {
      outcome.failure_code = failure->close_code;
      outcome.failure_reason = failure->reason;
    }
    require(reader.buffered() <= fed, "the reader holds no more than it was given");
  }
  return outcome;
}

// The message as a client frame: written by the server's own encoder, then given a zero mask.
std::string as_client_frame(const Received& m) {
  const std::string payload = m.opcode == Opcode::close && m.close_code != kCloseNoStatus
                                  ? close_payload(m.close_code, m.payload)
                                  : m.payload;
  std::string frame;
  append_frame(frame, m.opcode, payload);
  char header[10];
  const std::size_t header_size = frame_header(header, m.opcode, payload.size());
  frame[1] = static_cast<char>(frame[1] | 0x80);
  frame.insert(header_size, 4, '\0');
  return frame;
}

void check_written_again(const Received& m, const Plan& plan) {
  const Outcome again = read_in_pieces(as_client_frame(m), {0}, plan);
  require(!again.failure_code && again.messages.size() == 1 && again.messages[0] == m,
          "a message written again reads back the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr std::size_t kLimits[] = {16, 125, 1000, 1 << 20};
  const std::uint8_t control = data[0];
  const std::string_view stream = parley::fuzz::as_text(data + 1, size - 1);
  const Plan plan{kLimits[control & 3], static_cast<std::size_t>((control >> 2) & 3),
                  stream.empty() ? 0 : (control >> 4) * stream.size() / 16};

  const Outcome whole = read_in_pieces(stream, {0}, plan);
  std::vector<std::size_t> every_byte(stream.size());
  for (std::size_t i = 0; i < every_byte.size(); ++i) every_byte[i] = i;
  if (every_byte.empty()) every_byte.push_back(0);
  require(read_in_pieces(stream, every_byte, plan) == whole, "byte by byte reads as in one piece");
  require(read_in_pieces(stream, {0, plan.cut}, plan) == whole, "two pieces read as one");

  for (const Received& m : whole.messages) check_written_again(m, plan);
  return 0;
}
