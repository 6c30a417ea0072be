#include "server/hub/room_stream.hpp"

namespace parley::hub {

namespace {
std::size_t size_of(const bus::Event& event) { return event.frame ? event.frame->size() : 0; }
}  // namespace

void RoomStream::accept(const bus::Event& message, Clock::time_point now, std::vector<bus::Event>& ready) {
  const Seq seq = message.seq;
  if (!delivered_) delivered_ = seq - 1;
  if (seq <= *delivered_ || held_.contains(seq)) {
    ++repeats_;
    return;
  }
  if (seq == *delivered_ + 1) {
    ready.push_back(message);
    delivered_ = seq;
    release(ready);
    return;
  }
  if (held_.size() >= kMaxHeld || held_bytes_ + size_of(message) > kMaxHeldBytes) {
    ++overflowed_;
    return;
  }
  if (held_.empty()) gap_since_ = now;
  held_bytes_ += size_of(message);
  held_.emplace(seq, message);
}

void RoomStream::release(std::vector<bus::Event>& ready) {
  // Everything held is past delivered_ + 1 when it is put there, and delivered_ only moves
  // one seq at a time, so the first held is either the next one or still beyond a gap.
  while (!held_.empty() && held_.begin()->first == *delivered_ + 1) {
    auto first = held_.begin();
    held_bytes_ -= size_of(first->second);
    delivered_ = first->first;
    ready.push_back(std::move(first->second));
    held_.erase(first);
  }
}

}  // namespace parley::hub
