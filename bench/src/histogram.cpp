#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace parley::bench {

// Layout: the first bucket holds 0 .. kSubBucketCount-1 exactly (width 1 µs). Each further
// bucket k covers [kSubBucketCount << (k-1), kSubBucketCount << k) in kHalfCount steps of
// width 1 << k, so the relative width never exceeds 1 / kHalfCount.
namespace {
constexpr int kBuckets = 33 - 11 + 1;  // enough to reach kMaxValue = 2^32
}

Histogram::Histogram() : counts_(static_cast<std::size_t>(kSubBucketCount + (kBuckets - 1) * kHalfCount), 0) {}

std::size_t Histogram::index_of(std::int64_t value) {
  if (value < kSubBucketCount) return static_cast<std::size_t>(value);
  // The bucket is how many times the value must be halved to fit the sub-bucket range.
  const int magnitude = std::bit_width(static_cast<std::uint64_t>(value)) - kSubBucketBits;  // >= 1
  const std::int64_t sub = value >> magnitude;  // kHalfCount .. kSubBucketCount-1
  return static_cast<std::size_t>(kSubBucketCount + (magnitude - 1) * kHalfCount + (sub - kHalfCount));
}

std::int64_t Histogram::highest_equivalent(std::size_t index) {
  const auto i = static_cast<std::int64_t>(index);
  if (i < kSubBucketCount) return i;
  const std::int64_t magnitude = (i - kSubBucketCount) / kHalfCount + 1;
  const std::int64_t sub = (i - kSubBucketCount) % kHalfCount + kHalfCount;
  return ((sub + 1) << magnitude) - 1;
}

void Histogram::record(std::int64_t value_us) {
  const std::int64_t v = std::clamp<std::int64_t>(value_us, 0, kMaxValue - 1);
  const std::size_t index = std::min(index_of(v), counts_.size() - 1);
  ++counts_[index];
  if (count_ == 0 || v < min_) min_ = v;
  max_ = std::max(max_, v);
  sum_ += v;
  ++count_;
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = sum_ = 0;
}

std::int64_t Histogram::percentile(double percent) const {
  if (count_ == 0) return 0;
  if (percent >= 100.0) return max_;
  const auto wanted = static_cast<std::uint64_t>(std::max(1.0, std::ceil(percent / 100.0 * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= wanted) return std::min(highest_equivalent(i), max_);
  }
  return max_;
}

}  // namespace parley::bench
