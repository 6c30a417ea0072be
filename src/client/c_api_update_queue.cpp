#include "client/c_api_update_queue.hpp"

#include <boost/json/serialize.hpp>

#include "client/log.hpp"

namespace json = boost::json;

namespace parley::c_api {

bool UpdateQueue::try_push(std::string& update) {
  if (!queue_.empty() && bytes_ + update.size() > max_bytes_) return false;
  bytes_ += update.size();
  queue_.push_back(std::move(update));
  arrived_.notify_one();
  return true;
}

namespace {

// Once per loss, and outside the queue's lock: the app's log callback may take its time.
void log_first_loss(bool first) {
  if (first) client::log(client::LogLevel::warning, "the update stream is full: updates are dropped until the app receives");
}

}  // namespace

void UpdateQueue::push(std::string update) {
  bool first_loss = false;
  {
    std::lock_guard lock(mutex_);
    if (try_push(update)) return;
    first_loss = lost_++ == 0;
  }
  log_first_loss(first_loss);
}

void UpdateQueue::push_answer(std::string answer, const json::value& extra) {
  bool first_loss = false;
  {
    std::lock_guard lock(mutex_);
    if (try_push(answer)) return;
    first_loss = lost_++ == 0;
    if (lost_answers_.size() < kMaxListedLostAnswers) lost_answers_.push_back(extra);
  }
  log_first_loss(first_loss);
}

void UpdateQueue::push_recovery(std::string update) {
  std::lock_guard lock(mutex_);
  bytes_ += update.size();
  queue_.push_back(std::move(update));
  arrived_.notify_one();
}

std::optional<UpdateQueue::Next> UpdateQueue::pop(std::chrono::duration<double> timeout) {
  std::unique_lock lock(mutex_);
  if (!arrived_.wait_for(lock, timeout, [this] { return lost_ > 0 || !queue_.empty(); })) return std::nullopt;
  if (lost_ > 0) {
    json::object report{{"type", "updates_lost"}, {"count", lost_}, {"answers_lost", std::move(lost_answers_)}};
    lost_ = 0;
    lost_answers_.clear();
    return Next{json::serialize(report), true};
  }
  Next next{std::move(queue_.front()), false};
  queue_.pop_front();
  bytes_ -= next.text.size();
  return next;
}

}  // namespace parley::c_api
