#pragma once
// The threads that check and make password hashes. A hash is slow on purpose (argon2id, tens
// of milliseconds of a core and many MiB), so hashes get threads of their own, few of them
// (`--hash-threads`), with a short queue: a flood of sign-ins takes those threads and no more,
// and the reader threads, the writer and the I/O threads keep their cores for messages.
//
// Past the queue's limit a request is refused at once with `unavailable` and a time to wait:
// a sign-in that would wait behind a long queue would time out at its client anyway.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace parley::service {

class PasswordHasher {
 public:
  static constexpr std::size_t kMaxQueued = 64;
  static constexpr std::int64_t kRetryAfterMs = 1000;

  explicit PasswordHasher(unsigned threads);
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // `work` runs on a hashing thread, `done` right after it on the same thread; or `done` runs
  // at once, on the caller's thread, with `unavailable` when the queue is full. Thread-safe.
  template <class T>
  void submit(std::function<Result<T>()> work, std::function<void(Result<T>)> done) {
    enqueue([work = std::move(work), done = std::move(done)](bool refused) {
      if (refused) {
        Error busy{ErrorCode::unavailable, "too many sign-ins at once; try again shortly", kRetryAfterMs};
        return done(std::unexpected(std::move(busy)));
      }
      done(work());
    });
  }

  void stop();

 private:
  using Task = std::function<void(bool refused)>;
  void enqueue(Task task);
  void run_loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> pending_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace parley::service
