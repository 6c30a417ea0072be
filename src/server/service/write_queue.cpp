#include "server/service/write_queue.hpp"

#include <chrono>

#include "core/metrics.hpp"
#include "core/thread_name.hpp"

namespace parley::service {

WriteQueue::WriteQueue(std::unique_ptr<store::StoreSession> session, Limits limits)
    : session_(std::move(session)), limits_(limits), thread_([this] {
        core::name_this_thread("parley-writer");
        run_loop();
      }) {}

WriteQueue::~WriteQueue() { stop(); }

void WriteQueue::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && pending_.size() < limits_.max_pending) {
      pending_.push_back(std::move(job));
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
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and everything queued is done
      while (!pending_.empty() && batch.size() < limits_.max_batch) {
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void WriteQueue::run_batch(std::deque<Job>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<Error> batch_error;
  if (auto begun = session_->begin_write(); !begun) {
    batch_error = begun.error();
  } else {
    for (auto& job : batch) {
      if (auto sp = session_->savepoint(); !sp) {
        batch_error = sp.error();
        break;
      }
      if (job.run(*session_)) {
        if (auto released = session_->release_savepoint(); !released) {
          batch_error = released.error();
          break;
        }
      } else {
        // The job refused (not a member, a duplicate...): undo its part only.
        session_->rollback_to_savepoint();
      }
    }
    if (!batch_error) {
      if (auto committed = session_->commit(); !committed) batch_error = committed.error();
    }
    if (batch_error) session_->rollback();
  }
  if (batch_error) {
    batch_error->code = ErrorCode::internal;
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
  for (auto& job : batch) job.finish(batch_error);
}

}  // namespace parley::service
