#pragma once
// Reader threads, each with its own store session, for queries: nothing that can take long
// runs on an I/O thread, and reads never wait behind the writer (SQLite's WAL lets them see
// the last commit while a write is under way).
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "store/store.hpp"

namespace parley::service {

class ReadPool {
 public:
  // Beyond this many waiting tasks new ones are refused with `unavailable`.
  static constexpr std::size_t kMaxPending = 100'000;

  explicit ReadPool(std::vector<std::unique_ptr<store::StoreSession>> sessions);
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // `work` runs on a reader thread with that thread's session; `done` runs right after it, on
  // the same thread. Thread-safe.
  template <class T>
  void submit(std::function<Result<T>(store::StoreSession&)> work, std::function<void(Result<T>)> done) {
    workers_.enqueue([work = std::move(work), done = std::move(done)](store::StoreSession* session) {
      if (!session) {
        done(std::unexpected(Error{ErrorCode::unavailable, "the server is busy or shutting down"}));
        return;
      }
      done(work(*session));
    });
  }

  void stop() { workers_.stop(); }

 private:
  [[nodiscard]] static std::vector<store::StoreSession*> raw(const std::vector<std::unique_ptr<store::StoreSession>>& sessions);

  std::vector<std::unique_ptr<store::StoreSession>> sessions_;  // declared first: outlives the threads
  core::WorkerPool<store::StoreSession> workers_;
};

}  // namespace parley::service
