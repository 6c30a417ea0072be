#include "server/gateway/websocket/frame_codec.hpp"

#include <cstring>

#include "domain/validation.hpp"

namespace parley::gateway::websocket {
namespace {

constexpr std::size_t kMaxControlPayload = 125;

bool is_control(Opcode opcode) { return static_cast<std::uint8_t>(opcode) >= 8; }

bool is_known(std::uint8_t opcode) { return opcode <= 2 || (opcode >= 8 && opcode <= 10); }

// Codes a peer may put in a close frame (RFC 6455 7.4).
bool is_sendable_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

void unmask(char* data, std::size_t size, const unsigned char mask[4]) {
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>(data[i] ^ mask[i & 3]);
}

ReadFailure protocol_error(std::string reason) { return {kCloseProtocolError, std::move(reason)}; }

}  // namespace

std::optional<ReadFailure> FrameReader::feed(char* bytes, std::size_t size,
                                             const std::function<bool(const Message&)>& on_message) {
  std::optional<ReadFailure> failure;
  bool stopped = false;
  if (!partial_ || partial_->frame.empty()) {
    std::size_t used = read_frames(bytes, size, on_message, failure, stopped);
    if (!failure && !stopped && used < size) partial().frame.assign(bytes + used, size - used);
    release_if_done();
    return failure;
  }
  std::string& frame = partial_->frame;
  frame.append(bytes, size);
  std::size_t used = read_frames(frame.data(), frame.size(), on_message, failure, stopped);
  partial_->frame.erase(0, used);
  release_if_done();
  return failure;
}

FrameReader::Partial& FrameReader::partial() {
  if (!partial_) partial_ = std::make_unique<Partial>();
  return *partial_;
}

void FrameReader::release_if_done() {
  if (partial_ && partial_->frame.empty() && !partial_->fragmented) partial_.reset();
}

std::size_t FrameReader::read_frames(char* data, std::size_t size, const std::function<bool(const Message&)>& on_message,
                                     std::optional<ReadFailure>& failure, bool& stopped) {
  std::size_t at = 0;
  auto fail = [&](ReadFailure why) {
    failure = std::move(why);
    return at;
  };
  while (size - at >= 2) {
    const auto* header = reinterpret_cast<const unsigned char*>(data + at);
    const bool fin = (header[0] & 0x80) != 0;
    const std::uint8_t raw_opcode = header[0] & 0x0F;
    if ((header[0] & 0x70) != 0) return fail(protocol_error("reserved bits set without an extension"));
    if (!is_known(raw_opcode)) return fail(protocol_error("unknown opcode " + std::to_string(raw_opcode)));
    if ((header[1] & 0x80) == 0) return fail(protocol_error("a client's frames must be masked"));
    const auto opcode = static_cast<Opcode>(raw_opcode);

    std::size_t header_size = 2;
    std::uint64_t length = header[1] & 0x7F;
    if (length == 126) {
      header_size += 2;
      if (size - at < header_size) break;
      length = (std::uint64_t{header[2]} << 8) | header[3];
    } else if (length == 127) {
      header_size += 8;
      if (size - at < header_size) break;
      length = 0;
      for (int i = 0; i < 8; ++i) length = (length << 8) | header[2 + i];
      if (length >> 63) return fail(protocol_error("frame length with its top bit set"));
    }
    if (is_control(opcode) && (!fin || length > kMaxControlPayload))
      return fail(protocol_error("a control frame must be whole and at most 125 bytes"));
    // Refused before its payload arrives: a client cannot make the server hold more than this.
    const std::size_t so_far = partial_ ? partial_->message.size() : 0;
    if (!is_control(opcode) && so_far + length > max_message_bytes_)
      return fail(ReadFailure{kCloseTooBig, "message over " + std::to_string(max_message_bytes_) + " bytes"});
    const std::size_t mask_at = header_size;
    header_size += 4;
    if (size - at < header_size + length) break;

    unsigned char mask[4];
    std::memcpy(mask, header + mask_at, 4);
    char* payload = data + at + header_size;
    unmask(payload, length, mask);
    at += header_size + length;
    failure = take_frame(fin, opcode, payload, length, on_message, stopped);
    if (failure || stopped) return at;
  }
  return at;
}

std::optional<ReadFailure> FrameReader::take_frame(bool fin, Opcode opcode, char* payload, std::size_t length,
                                                   const std::function<bool(const Message&)>& on_message, bool& stopped) {
  std::string_view bytes(payload, length);
  if (is_control(opcode)) {
    Message message{opcode, bytes};
    if (opcode == Opcode::close) {
      if (length == 1) return protocol_error("a close frame's code must be two bytes");
      message.close_code = kCloseNoStatus;
      if (length >= 2) {
        message.close_code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                        static_cast<unsigned char>(payload[1]));
        if (!is_sendable_close_code(message.close_code))
          return protocol_error("close code " + std::to_string(message.close_code) + " may not be sent");
        message.payload = bytes.substr(2);
        if (!domain::is_valid_utf8(message.payload)) return ReadFailure{kCloseInvalidPayload, "close reason is not UTF-8"};
      }
    }
    stopped = !on_message(message);
    return std::nullopt;
  }

  const bool fragmented = partial_ && partial_->fragmented;
  if (opcode == Opcode::continuation && !fragmented) return protocol_error("a continuation frame with no message to continue");
  if (opcode != Opcode::continuation && fragmented) return protocol_error("a new message began before the last one ended");

  if (fin && !fragmented) {
    if (opcode == Opcode::text && !domain::is_valid_utf8(bytes)) return ReadFailure{kCloseInvalidPayload, "text frame is not UTF-8"};
    stopped = !on_message(Message{opcode, bytes});
    return std::nullopt;
  }
  Partial& kept = partial();
  if (!kept.fragmented) kept.fragmented = opcode;
  kept.message.append(bytes);
  if (!fin) return std::nullopt;

  const Opcode whole = *kept.fragmented;
  kept.fragmented.reset();
  if (whole == Opcode::text && !domain::is_valid_utf8(kept.message)) return ReadFailure{kCloseInvalidPayload, "text message is not UTF-8"};
  stopped = !on_message(Message{whole, kept.message});
  kept.message.clear();
  return std::nullopt;
}

std::size_t frame_header(char (&out)[10], Opcode opcode, std::size_t payload_size) {
  out[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (payload_size < 126) {
    out[1] = static_cast<char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = static_cast<char>(126);
    out[2] = static_cast<char>(payload_size >> 8);
    out[3] = static_cast<char>(payload_size & 0xFF);
    return 4;
  }
  out[1] = static_cast<char>(127);
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>((std::uint64_t{payload_size} >> (56 - 8 * i)) & 0xFF);
  return 10;
}

void append_frame(std::string& out, Opcode opcode, std::string_view payload) {
  char header[10];
  out.append(header, frame_header(header, opcode, payload.size()));
  out.append(payload);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  // Cut on a character boundary so the reason stays UTF-8.
  std::size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
  while (keep > 0 && keep < reason.size() && (static_cast<unsigned char>(reason[keep]) & 0xC0) == 0x80) --keep;
  payload.append(reason.substr(0, keep));
  return payload;
}

}  // namespace parley::gateway::websocket
