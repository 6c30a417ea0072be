#pragma once
// The threads that run the C API's queued requests. parley::Client's calls block on the
// network, so parley_client_send hands them to these threads and returns at once.
//
// Two lanes: `any` is served by a few threads in no set order; `ordered` by one thread, in the
// order of submission (the outbox writes, whose order is the order messages go out).
// Policy when full: at most `max_queued` jobs wait (not counting those running); submit then
// refuses and queues nothing, and the caller answers the request with rate_limited.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace parley::c_api {

class Workers {
 public:
  enum class Lane { any, ordered };

  Workers(std::size_t any_threads, std::size_t max_queued);
  // Lets running jobs finish and drops the queued ones.
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // false when the queue is full: the job was not queued. A job must not throw.
  [[nodiscard]] bool submit(Lane lane, std::function<void()> job);

 private:
  void serve(std::deque<std::function<void()>>& queue);

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> any_;
  std::deque<std::function<void()>> ordered_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace parley::c_api
