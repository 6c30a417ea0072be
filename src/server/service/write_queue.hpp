#pragma once
// The single writer. Every change to the store goes through here: jobs queue up, and the
// writer thread runs as many as are waiting inside one transaction (group commit), each in
// its own savepoint, then commits once, so one disk sync covers the whole batch. Only after
// the commit does each job's completion run, in submission order: an acknowledgement is never
// sent for something that is not on disk, and events leave in commit order.
//
// Two lanes. What a person waits for (a send, a read, a room change) goes first; work for the
// outbox (claiming deliveries, recording their outcomes, a push's fan-out) is submitted as
// background. A batch takes every waiting foreground job, then background jobs one at a time
// only while no foreground job waits (and at least one, so the outbox never starves): a send
// waits at most for one background job before its own batch, however much outbox work queues.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace parley::service {

class WriteQueue {
 public:
  struct Limits {
    // Jobs waiting beyond this are refused with `unavailable`: memory stays bounded and a
    // client retries, rather than every request slowing down without end.
    std::size_t max_pending = 100'000;
    // One transaction holds at most this many jobs, so no single commit grows without bound
    // and the first job of a burst is not held back by the last.
    std::size_t max_batch = 1'000;
  };

  // What a write refused with `unavailable` tells the client to wait before it tries again.
  static constexpr std::int64_t kRetryAfterMs = 1000;
  // Completions run between two wake-ups of the I/O threads (run_batch).
  static constexpr std::size_t kCompletionsPerWake = 16;

  WriteQueue(std::unique_ptr<store::StoreSession> session, Limits limits);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // `work` runs on the writer thread inside the batch's transaction; `done` runs on the writer
  // thread after the commit, with work's result (or the commit's error). Thread-safe.
  template <class T>
  void submit(std::function<Result<T>(store::StoreSession&)> work, std::function<void(Result<T>)> done) {
    submit_ordered<T>(0, std::move(work), std::move(done));
  }
  // The same, for a job that locks the row `lock_order` names first (a room's, for a message):
  // within a batch, jobs run by that key (jobs without one first, ties in submission order),
  // so that two nodes' writers on one PostgreSQL take the rooms' locks in one order and never
  // wait on each other in a cycle. Completions still run in submission order.
  template <class T>
  void submit_ordered(std::int64_t lock_order, std::function<Result<T>(store::StoreSession&)> work,
                      std::function<void(Result<T>)> done);
  // The same, in the background lane: for work nobody is waiting on (see above).
  template <class T>
  void submit_background(std::function<Result<T>(store::StoreSession&)> work, std::function<void(Result<T>)> done) {
    enqueue(make_job<T>(0, std::move(work), std::move(done)), Lane::background);
  }

  // Refuses new jobs, finishes every queued one, and ends the writer thread.
  void stop();

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t jobs = 0;
  };
  [[nodiscard]] Stats stats() const;

 private:
  struct Job {
    std::int64_t lock_order = 0;
    std::function<Result<void>(store::StoreSession&)> run;
    std::function<void(const std::optional<Error>& batch_error)> finish;
  };

  enum class Lane { foreground, background };

  template <class T>
  static Job make_job(std::int64_t lock_order, std::function<Result<T>(store::StoreSession&)> work,
                      std::function<void(Result<T>)> done);
  void enqueue(Job job, Lane lane);
  void run_loop();
  void run_batch(std::deque<Job>& batch);
  // One attempt at the batch's transaction: the jobs in lock order, then (first attempt only)
  // background jobs taken while no foreground job waits, then the commit. Returns the error
  // that undid the whole batch, if one did.
  [[nodiscard]] std::optional<Error> attempt_batch(std::deque<Job>& batch, const std::vector<std::size_t>& order,
                                                   bool take_background);
  // Runs one job in its savepoint; the error that must undo the whole batch, if any.
  [[nodiscard]] std::optional<Error> run_job(Job& job);
  // The next background job, if it may join the batch now.
  [[nodiscard]] std::optional<Job> next_background(std::size_t batch_size, bool first);
  void note_outcome(const std::optional<Error>& batch_error);

  std::unique_ptr<store::StoreSession> session_;
  Limits limits_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> pending_;     // foreground
  std::deque<Job> background_;  // its own limit of max_pending
  bool stopping_ = false;
  Stats stats_;
  bool store_failing_ = false;  // writer thread only: the last batch failed
  std::thread thread_;
};

template <class T>
void WriteQueue::submit_ordered(std::int64_t lock_order, std::function<Result<T>(store::StoreSession&)> work,
                                std::function<void(Result<T>)> done) {
  enqueue(make_job<T>(lock_order, std::move(work), std::move(done)), Lane::foreground);
}

template <class T>
WriteQueue::Job WriteQueue::make_job(std::int64_t lock_order, std::function<Result<T>(store::StoreSession&)> work,
                                     std::function<void(Result<T>)> done) {
  auto outcome = std::make_shared<std::optional<Result<T>>>();
  Job job;
  job.lock_order = lock_order;
  job.run = [work = std::move(work), outcome](store::StoreSession& session) -> Result<void> {
    *outcome = work(session);
    if (!outcome->value()) return std::unexpected((*outcome)->error());
    return {};
  };
  job.finish = [done = std::move(done), outcome](const std::optional<Error>& batch_error) {
    if (batch_error) {
      done(std::unexpected(*batch_error));
    } else {
      done(std::move(outcome->value()));
    }
  };
  return job;
}

}  // namespace parley::service
