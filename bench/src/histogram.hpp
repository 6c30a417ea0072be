// A log-linear latency histogram in the manner of HdrHistogram: values are bucketed with a
// fixed relative precision (3 significant decimal digits) over a wide range, so p99.9 and max
// of microsecond latencies are as exact as p50 without storing every sample.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace parley::bench {

class Histogram {
 public:
  // Values are microseconds; anything above kMaxValue (about 1.2 hours) is clamped to it.
  static constexpr std::int64_t kMaxValue = std::int64_t{1} << 32;

  Histogram();

  void record(std::int64_t value_us);
  void merge(const Histogram& other);
  void reset();

  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] std::int64_t min() const { return count_ ? min_ : 0; }
  [[nodiscard]] std::int64_t max() const { return max_; }
  [[nodiscard]] double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The smallest value that at least `percent` % of the samples are at or below (within the
  // bucket's precision). 100 gives the exact max.
  [[nodiscard]] std::int64_t percentile(double percent) const;

 private:
  // 2048 sub-buckets per power of two: a bucket's width is at most 1/1024 of its values,
  // which keeps three significant digits (HdrHistogram's choice for that precision).
  static constexpr int kSubBucketBits = 11;
  static constexpr std::int64_t kSubBucketCount = std::int64_t{1} << kSubBucketBits;
  static constexpr std::int64_t kHalfCount = kSubBucketCount / 2;

  [[nodiscard]] static std::size_t index_of(std::int64_t value);
  [[nodiscard]] static std::int64_t highest_equivalent(std::size_t index);

  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  std::int64_t sum_ = 0;
};

}  // namespace parley::bench
