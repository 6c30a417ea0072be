#pragma once
// The byte layout of what nodes send each other over NATS: fixed-width little-endian integers
// and length-prefixed strings. Nodes of one deployment run one build, so the layout carries a
// version byte and a node drops what it cannot read rather than guessing.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bus::wire {

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void i64(std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void bytes(std::string_view v) {
    u32(static_cast<std::uint32_t>(v.size()));
    out_.append(v);
  }
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every read checks the bounds; after the first failure every read fails, so a caller checks
// ok() once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::int64_t i64() {
    if (!need(8)) return 0;
    std::uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return static_cast<std::int64_t>(u);
  }
  std::uint32_t u32() {
    if (!need(4)) return 0;
    std::uint32_t u = 0;
    for (int i = 0; i < 4; ++i) u |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return u;
  }
  std::string_view bytes() {
    std::uint32_t n = u32();
    if (!need(n)) return {};
    auto v = in_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  // A count of items of at least `item_bytes` each: refused when the rest cannot hold them, so
  // a corrupt count never makes the reader reserve memory for it.
  std::uint32_t count(std::size_t item_bytes) {
    std::uint32_t n = u32();
    if (ok_ && item_bytes > 0 && n > (in_.size() - pos_) / item_bytes) ok_ = false;
    return ok_ ? n : 0;
  }
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool at_end() const { return ok_ && pos_ == in_.size(); }

 private:
  bool need(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace parley::bus::wire
