#pragma once
// Reader threads, each with its own store session, for queries and for CPU-heavy work such as
// password hashing: nothing that can take long runs on an I/O thread, and reads never wait
// behind the writer (SQLite's WAL lets them see the last commit while a write is under way).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace parley::service {

class ReadPool {
 public:
  // Beyond this many waiting tasks new ones are refused with `unavailable`.
  static constexpr std::size_t kMaxPending = 100'000;

  ReadPool(std::vector<std::unique_ptr<store::StoreSession>> sessions);
  ~ReadPool();
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // `work` runs on a reader thread with that thread's session; `done` runs right after it, on
  // the same thread. Thread-safe.
  template <class T>
  void submit(std::function<Result<T>(store::StoreSession&)> work, std::function<void(Result<T>)> done) {
    enqueue([work = std::move(work), done = std::move(done)](store::StoreSession* session) {
      if (!session) {
        done(std::unexpected(Error{ErrorCode::unavailable, "the server is busy or shutting down"}));
        return;
      }
      done(work(*session));
    });
  }

  void stop();

 private:
  // Called with a session to run, or with nullptr to refuse.
  using Task = std::function<void(store::StoreSession*)>;
  void enqueue(Task task);
  void run_loop(store::StoreSession& session);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> pending_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<store::StoreSession>> sessions_;
  std::vector<std::thread> threads_;
};

}  // namespace parley::service
