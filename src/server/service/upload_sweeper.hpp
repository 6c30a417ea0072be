#pragma once
// Runs UploadsService::sweep every `interval` on a thread of its own, one sweep at a time, until
// stopped.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/service/uploads_service.hpp"

namespace parley::service {

class UploadSweeper {
 public:
  UploadSweeper(UploadsService& uploads, std::chrono::milliseconds interval);
  ~UploadSweeper();
  UploadSweeper(const UploadSweeper&) = delete;
  UploadSweeper& operator=(const UploadSweeper&) = delete;

  // Ends the thread; a sweep under way finishes first. Safe to call more than once.
  void stop();

 private:
  void run_loop();

  UploadsService& uploads_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool sweeping_ = false;
  std::thread thread_;
};

}  // namespace parley::service
