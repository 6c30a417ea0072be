#pragma once
// The strands connections run on, made once and shared in turn.
//
// A strand of its own cost each connection about 110 bytes (the strand's state and its shared
// count), a tenth of an idle connection. Shared, a connection's handlers still run one at a
// time; they may also wait behind a neighbour's, which with a thousand strands is rare and
// short (handlers never block).
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <cstddef>
#include <vector>

namespace parley::gateway {

class StrandPool {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

  StrandPool(boost::asio::io_context& io, std::size_t size) {
    strands_.reserve(size);
    for (std::size_t i = 0; i < size; ++i) strands_.push_back(boost::asio::make_strand(io.get_executor()));
  }

  // Not thread-safe: the listener calls it from its own strand only.
  [[nodiscard]] const Strand& next() {
    const Strand& strand = strands_[next_];
    next_ = (next_ + 1) % strands_.size();
    return strand;
  }

 private:
  std::vector<Strand> strands_;
  std::size_t next_ = 0;
};

}  // namespace parley::gateway
