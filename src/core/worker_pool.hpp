#pragma once
// Threads that run queued tasks, each thread with a context of its own (a store session, say),
// behind a queue with a limit. A task is called with its thread's context, or, when the queue
// is full or the pool stopping, at once on the caller's thread with nullptr: the caller
// answers "busy" rather than wait behind a queue without end.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/thread_name.hpp"

namespace parley::core {

template <class Context>
class WorkerPool {
 public:
  using Task = std::function<void(Context* context)>;

  // One thread per context, named `thread_name`; the contexts outlive the pool.
  WorkerPool(std::vector<Context*> contexts, std::size_t max_pending, std::string thread_name)
      : max_pending_(max_pending) {
    for (Context* context : contexts)
      threads_.emplace_back([this, context, thread_name] {
        name_this_thread(thread_name.c_str());
        run_loop(*context);
      });
  }
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(Task task) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_ && pending_.size() < max_pending_) {
        pending_.push_back(std::move(task));
        wake_.notify_one();
        return;
      }
    }
    task(nullptr);
  }

  // Refuses new tasks, runs the queued ones, and ends the threads.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
    threads_.clear();
  }

 private:
  void run_loop(Context& context) {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;
        task = std::move(pending_.front());
        pending_.pop_front();
      }
      task(&context);
    }
  }

  const std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> pending_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace parley::core
