#include "server/service/upload_sweeper.hpp"

#include <spdlog/spdlog.h>

#include "core/thread_name.hpp"

namespace parley::service {

UploadSweeper::UploadSweeper(UploadsService& uploads, std::chrono::milliseconds interval)
    : uploads_(uploads), interval_(interval), thread_([this] {
        core::name_this_thread("parley-sweeper");
        run_loop();
      }) {}

UploadSweeper::~UploadSweeper() { stop(); }

void UploadSweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void UploadSweeper::run_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    // The sweep completes on another thread; the next waits for it, so that sweeps never
    // pile up in the write queue when the store is slow.
    sweeping_ = true;
    lock.unlock();
    uploads_.sweep([this](Result<int> removed) {
      if (!removed)
        spdlog::warn("removing unreferenced uploads failed: {}", removed.error().message);
      else if (*removed > 0)
        spdlog::info("removed {} unreferenced upload(s)", *removed);
      std::lock_guard done_lock(mutex_);
      sweeping_ = false;
      wake_.notify_all();
    });
    lock.lock();
    wake_.wait(lock, [this] { return !sweeping_; });
  }
}

}  // namespace parley::service
