#include "server/service/password_hasher.hpp"

#include <algorithm>

#include "core/thread_name.hpp"

namespace parley::service {

PasswordHasher::PasswordHasher(unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    threads_.emplace_back([this] {
      core::name_this_thread("parley-hasher");
      run_loop();
    });
}

PasswordHasher::~PasswordHasher() { stop(); }

void PasswordHasher::enqueue(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && pending_.size() < kMaxQueued) {
      pending_.push_back(std::move(task));
      wake_.notify_one();
      return;
    }
  }
  task(true);
}

void PasswordHasher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void PasswordHasher::run_loop() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      task = std::move(pending_.front());
      pending_.pop_front();
    }
    task(false);
  }
}

}  // namespace parley::service
