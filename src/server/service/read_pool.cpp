#include "server/service/read_pool.hpp"

#include "core/thread_name.hpp"

namespace parley::service {

ReadPool::ReadPool(std::vector<std::unique_ptr<store::StoreSession>> sessions) : sessions_(std::move(sessions)) {
  for (auto& session : sessions_) {
    threads_.emplace_back([this, s = session.get()] {
      core::name_this_thread("parley-reader");
      run_loop(*s);
    });
  }
}

ReadPool::~ReadPool() { stop(); }

void ReadPool::enqueue(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && pending_.size() < kMaxPending) {
      pending_.push_back(std::move(task));
      wake_.notify_one();
      return;
    }
  }
  task(nullptr);
}

void ReadPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void ReadPool::run_loop(store::StoreSession& session) {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      task = std::move(pending_.front());
      pending_.pop_front();
    }
    task(&session);
  }
}

}  // namespace parley::service
