#include "client/c_api_workers.hpp"

namespace parley::c_api {

Workers::Workers(std::size_t any_threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (std::size_t i = 0; i < any_threads; ++i) threads_.emplace_back([this] { serve(any_); });
  threads_.emplace_back([this] { serve(ordered_); });
}

Workers::~Workers() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

bool Workers::submit(Lane lane, std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || any_.size() + ordered_.size() >= max_queued_) return false;
    (lane == Lane::ordered ? ordered_ : any_).push_back(std::move(job));
  }
  // All threads wait on one condition; only a thread of the right lane can take the job, so
  // waking one could wake the wrong one.
  wake_.notify_all();
  return true;
}

void Workers::serve(std::deque<std::function<void()>>& queue) {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue.empty(); });
      if (stopping_) return;
      job = std::move(queue.front());
      queue.pop_front();
    }
    job();
  }
}

}  // namespace parley::c_api
