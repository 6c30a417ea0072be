#pragma once
// The threads that check and make password hashes. A hash is slow on purpose (argon2id, tens
// of milliseconds of a core and many MiB), so hashes get threads of their own, few of them
// (`--hash-threads`), with a short queue: a flood of sign-ins takes those threads and no more,
// and the reader threads, the writer and the I/O threads keep their cores for messages.
//
// Past the queue's limit a request is refused at once with `unavailable` and a time to wait:
// a sign-in that would wait behind a long queue would time out at its client anyway.
#include <cstddef>
#include <functional>
#include <vector>

#include "core/error.hpp"
#include "core/worker_pool.hpp"

namespace parley::service {

class PasswordHasher {
 public:
  static constexpr std::size_t kMaxQueued = 64;
  static constexpr std::int64_t kRetryAfterMs = 1000;

  explicit PasswordHasher(unsigned threads);
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // `work` runs on a hashing thread, `done` right after it on the same thread; or `done` runs
  // at once, on the caller's thread, with `unavailable` when the queue is full. Thread-safe.
  template <class T>
  void submit(std::function<Result<T>()> work, std::function<void(Result<T>)> done) {
    workers_.enqueue([work = std::move(work), done = std::move(done)](const Slot* slot) {
      if (!slot) {
        Error busy{ErrorCode::unavailable, "too many sign-ins at once; try again shortly", kRetryAfterMs};
        return done(std::unexpected(std::move(busy)));
      }
      done(work());
    });
  }

  void stop() { workers_.stop(); }

 private:
  struct Slot {};  // a hashing thread needs no context of its own
  [[nodiscard]] static std::vector<const Slot*> slots(unsigned threads);

  static constexpr Slot kSlot{};
  core::WorkerPool<const Slot> workers_;
};

}  // namespace parley::service
