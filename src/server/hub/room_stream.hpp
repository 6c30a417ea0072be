#pragma once
// One room's messages as this node delivers them: in seq order, each once.
//
// Messages of a room reach a node by more than one road: its own commits, the bus from each
// other node (NATS keeps one publisher's order, not the room's), and the store when a gap is
// filled. The stream takes them in any order and hands them on in seq order: the next one at
// once, an earlier one (a repeat) never, a later one held until the gap before it closes,
// either by the bus or by the store (server/service/stream_repair.hpp).
//
// Not thread-safe: the hub guards each stream with its own mutex.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "bus/bus.hpp"

namespace parley::hub {

class RoomStream {
 public:
  using Clock = std::chrono::steady_clock;

  // Held messages are bounded in bytes and in number. Past either, a newly arriving message
  // is not held: the store has it, and the gap's repair brings it with the others.
  static constexpr std::size_t kMaxHeldBytes = 4 * 1024 * 1024;
  static constexpr std::size_t kMaxHeld = 4096;

  // `delivered`: the seq this node's connections already have up to (they get the rest from
  // sync). nullopt: not known; the first message that arrives sets it.
  explicit RoomStream(std::optional<Seq> delivered) : delivered_(delivered) {}

  // Takes a message of this room and appends to `ready` what may now be delivered, in order.
  void accept(const bus::Event& message, Clock::time_point now, std::vector<bus::Event>& ready);

  [[nodiscard]] std::optional<Seq> delivered() const { return delivered_; }
  // A gap: messages after it are held. Since when, and the seq of the first held.
  [[nodiscard]] bool has_gap() const { return !held_.empty(); }
  [[nodiscard]] Clock::time_point gap_since() const { return gap_since_; }
  // Messages that came and were dropped because the stream had them already.
  [[nodiscard]] std::uint64_t repeats() const { return repeats_; }
  // Messages that were not held because the holding limits were reached.
  [[nodiscard]] std::uint64_t overflowed() const { return overflowed_; }

 private:
  void release(std::vector<bus::Event>& ready);

  std::optional<Seq> delivered_;
  std::map<Seq, bus::Event> held_;
  std::size_t held_bytes_ = 0;
  Clock::time_point gap_since_{};
  std::uint64_t repeats_ = 0;
  std::uint64_t overflowed_ = 0;
};

}  // namespace parley::hub
