#include "server/service/write_queue.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "core/thread_name.hpp"
#include "core/wake_batch.hpp"

namespace parley::service {

WriteQueue::WriteQueue(std::unique_ptr<store::StoreSession> session, Limits limits)
    : session_(std::move(session)), limits_(limits), thread_([this] {
        core::name_this_thread("parley-writer");
        run_loop();
      }) {}

WriteQueue::~WriteQueue() { stop(); }

void WriteQueue::enqueue(Job job, Lane lane) {
  {
    std::lock_guard lock(mutex_);
    auto& queue = lane == Lane::foreground ? pending_ : background_;
    if (!stopping_ && queue.size() < limits_.max_pending) {
      queue.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  job.finish(Error{ErrorCode::unavailable, stopping_ ? "the server is shutting down" : "the server is overloaded; retry shortly"});
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

WriteQueue::Stats WriteQueue::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void WriteQueue::run_loop() {
  std::deque<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty() || !background_.empty(); });
      if (pending_.empty() && background_.empty()) return;  // stopping, and everything queued is done
      while (!pending_.empty() && batch.size() < limits_.max_batch) {
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void WriteQueue::note_outcome(const std::optional<Error>& batch_error) {
  // One line when the store is lost and one when it is back, not one per failed batch.
  if (batch_error) {
    (batch_error->code == ErrorCode::unavailable ? metrics::server().store_unavailable : metrics::server().store_failed)
        .add();
    if (!store_failing_) spdlog::error("store: writes are failing: {}", batch_error->message);
    store_failing_ = true;
  } else if (store_failing_) {
    spdlog::warn("store: writes succeed again");  // the end of an outage, as visible as its start
    store_failing_ = false;
  }
}

std::optional<WriteQueue::Job> WriteQueue::next_background(std::size_t batch_size, bool first) {
  std::lock_guard lock(mutex_);
  if (background_.empty() || batch_size >= limits_.max_batch) return std::nullopt;
  if (!first && !pending_.empty()) return std::nullopt;  // someone is waiting: commit now
  Job job = std::move(background_.front());
  background_.pop_front();
  return job;
}

std::optional<Error> WriteQueue::run_job(Job& job) {
  if (auto sp = session_->savepoint(); !sp) return sp.error();
  if (auto ran = job.run(*session_); ran) {
    if (auto released = session_->release_savepoint(); !released) return released.error();
  } else if (ran.error().code == ErrorCode::unavailable) {
    // The store itself failed (a deadlock with another node's writer, a lost connection):
    // undoing this job alone would keep the locks of the jobs before it and wait again.
    // The whole batch goes, which frees them.
    session_->rollback_to_savepoint();
    return ran.error();
  } else {
    // The job refused (not a member, a duplicate...): undo its part only.
    session_->rollback_to_savepoint();
  }
  return std::nullopt;
}

std::optional<Error> WriteQueue::attempt_batch(std::deque<Job>& batch, const std::vector<std::size_t>& order,
                                               bool take_background) {
  if (auto begun = session_->begin_write(); !begun) return begun.error();
  std::optional<Error> batch_error;
  for (std::size_t index : order) {
    batch_error = run_job(batch[index]);
    if (batch_error) break;
  }
  // Background jobs join in the order they came, without room locks, after the foreground
  // ones: on a retry they are already in `batch` and `order`.
  for (bool first = true; take_background && !batch_error; first = false) {
    auto job = next_background(batch.size(), first);
    if (!job) break;
    batch.push_back(std::move(*job));
    batch_error = run_job(batch.back());
  }
  if (!batch_error) {
    if (auto committed = session_->commit(); !committed) batch_error = committed.error();
  }
  if (batch_error) session_->rollback();
  return batch_error;
}

void WriteQueue::run_batch(std::deque<Job>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::size_t> order(batch.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return batch[a].lock_order < batch[b].lock_order; });
  std::optional<Error> batch_error = attempt_batch(batch, order, true);
  // Once more when the store failed: a deadlock's loser usually goes through on its second try,
  // and every job is undone, so running them again is safe. The background jobs the first
  // attempt took are in the batch now, after the foreground ones.
  if (batch_error && batch_error->code == ErrorCode::unavailable) {
    for (std::size_t i = order.size(); i < batch.size(); ++i) order.push_back(i);
    batch_error = attempt_batch(batch, order, false);
  }
  note_outcome(batch_error);
  if (batch_error) {
    // `unavailable` (the store out of reach) tells the client to retry after a pause; every
    // other failure of a whole batch is the server's own fault.
    if (batch_error->code != ErrorCode::unavailable) batch_error->code = ErrorCode::internal;
    else batch_error->retry_after_ms = kRetryAfterMs;
  } else {
    auto& m = metrics::server();
    m.commit_batches.add();
    m.commit_jobs.add(batch.size());
    m.commit_seconds.observe(std::chrono::steady_clock::now() - started);
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.jobs += batch.size();
  }
  // The completions answer their callers and publish their events. The I/O threads are woken
  // once per few completions rather than for each: on a shared core each wake-up took the core
  // from the writer for a single reply, and a group commit of hundreds of sends cost as many
  // switches. Not once per batch: the first callers would wait for the last.
  for (std::size_t first = 0; first < batch.size(); first += kCompletionsPerWake) {
    core::WakeBatch wake_once;
    const std::size_t end = std::min(batch.size(), first + kCompletionsPerWake);
    for (std::size_t i = first; i < end; ++i) batch[i].finish(batch_error);
  }
}

}  // namespace parley::service
