#pragma once
// A connection's frames waiting to be written, oldest first.
//
// Most connections sit idle with nothing queued, and there are many of them: the queue holds
// no memory until its first frame (std::deque allocates 576 bytes at construction), and gives
// all of its memory back whenever it empties.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "server/hub/subscriber.hpp"

namespace parley::gateway {

class FrameQueue {
 public:
  [[nodiscard]] bool empty() const { return head_ == frames_.size(); }
  [[nodiscard]] std::size_t size() const { return frames_.size() - head_; }
  [[nodiscard]] const hub::Frame& front() const { return frames_[head_]; }
  // The i-th frame from the oldest, i < size().
  [[nodiscard]] const hub::Frame& at(std::size_t i) const { return frames_[head_ + i]; }
  // The bytes of the frames queued (their payloads), for the queue's limit in bytes.
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

  void push_back(hub::Frame frame) {
    bytes_ += static_cast<std::uint32_t>(frame ? frame->size() : 0);
    frames_.push_back(std::move(frame));
  }

  void pop_front() {
    bytes_ -= static_cast<std::uint32_t>(frames_[head_] ? frames_[head_]->size() : 0);
    frames_[head_++].reset();
    if (empty()) {
      release();
    } else if (head_ >= kCompactAfter && head_ * 2 >= frames_.size()) {
      // A queue that never empties under steady load would otherwise grow without end; moving
      // the live half down costs no more, spread over the pops, than the pops themselves.
      frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  // Keeps the oldest `keep` frames and drops the rest.
  void truncate(std::size_t keep) {
    if (keep >= size()) return;
    for (std::size_t i = head_ + keep; i < frames_.size(); ++i)
      bytes_ -= static_cast<std::uint32_t>(frames_[i] ? frames_[i]->size() : 0);
    frames_.resize(head_ + keep);
    if (empty()) release();
  }

 private:
  void release() {
    head_ = 0;
    bytes_ = 0;
    // Not even a few slots are kept: most connections are idle most of the time, and a small
    // allocation per burst costs less than their memory across all of them.
    std::vector<hub::Frame>().swap(frames_);
  }

  static constexpr std::size_t kCompactAfter = 64;
  std::vector<hub::Frame> frames_;
  // 32-bit, as a queue is bounded far below 4 Gi frames and bytes (--send-queue-bytes is at
  // most 1 GiB), and a queue per connection: four bytes each matter.
  std::uint32_t head_ = 0;  // frames before it are written and reset
  std::uint32_t bytes_ = 0;
};

}  // namespace parley::gateway
