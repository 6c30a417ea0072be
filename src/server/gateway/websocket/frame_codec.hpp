#pragma once
// Turns the bytes a client sends after the WebSocket handshake into whole messages (RFC 6455,
// server side, no extensions). It holds no memory between frames: bytes are kept only while a
// frame or a fragmented message is incomplete, so an idle connection costs nothing here.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace parley::gateway::websocket {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// Close codes of RFC 6455 that the reader itself can cause.
inline constexpr std::uint16_t kCloseNormal = 1000;
inline constexpr std::uint16_t kCloseGoingAway = 1001;
inline constexpr std::uint16_t kCloseProtocolError = 1002;
inline constexpr std::uint16_t kCloseInvalidPayload = 1007;  // a text message that is not UTF-8
inline constexpr std::uint16_t kCloseTooBig = 1009;
inline constexpr std::uint16_t kCloseNoStatus = 1005;        // a close frame without a code

struct Message {
  Opcode opcode;             // text, binary, close, ping or pong; never continuation
  std::string_view payload;  // unmasked; for close, the reason after the code
  std::uint16_t close_code = 0;
};

// Why the connection must close, in the code and words the close frame carries.
struct ReadFailure {
  std::uint16_t close_code;
  std::string reason;
};

class FrameReader {
 public:
  explicit FrameReader(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Reads `bytes` (which it may unmask in place) and calls `on_message` for each message they
  // complete, in order. A message's payload is valid only during its call. Stops at the first
  // failure, or when `on_message` returns false (the caller stops reading), and returns it; the
  // reader is then finished.
  std::optional<ReadFailure> feed(char* bytes, std::size_t size, const std::function<bool(const Message&)>& on_message);

  // Bytes held for an incomplete frame or message.
  [[nodiscard]] std::size_t buffered() const { return partial_ ? partial_->frame.size() + partial_->message.size() : 0; }

 private:
  // Reads complete frames from [data, data + size); returns how many bytes were used.
  std::size_t read_frames(char* data, std::size_t size, const std::function<bool(const Message&)>& on_message,
                          std::optional<ReadFailure>& failure, bool& stopped);
  std::optional<ReadFailure> take_frame(bool fin, Opcode opcode, char* payload, std::size_t length,
                                        const std::function<bool(const Message&)>& on_message, bool& stopped);

  // What is kept between reads. Allocated only while a frame or message is incomplete: most
  // connections send whole frames and then nothing for a long time.
  struct Partial {
    std::string frame;    // an incomplete frame's bytes
    std::string message;  // the fragments so far of a message sent in pieces
    std::optional<Opcode> fragmented;
  };
  Partial& partial();
  void release_if_done();

  std::size_t max_message_bytes_;
  std::unique_ptr<Partial> partial_;
};

// Writes the header of one unmasked server frame (FIN set) into `out`; returns its size.
std::size_t frame_header(char (&out)[10], Opcode opcode, std::size_t payload_size);
// Appends one unmasked server frame (FIN set) to `out`.
void append_frame(std::string& out, Opcode opcode, std::string_view payload);
// The payload of a close frame: the code, then the reason cut to fit a control frame.
std::string close_payload(std::uint16_t code, std::string_view reason);

}  // namespace parley::gateway::websocket
