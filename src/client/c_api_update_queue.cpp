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

void UpdateQueue::push(std::string update) {
  std::lock_guard lock(mutex_);
  if (try_push(update)) return;
  if (lost_++ == 0) client::log(client::LogLevel::warning, "the update stream is full: updates are dropped until the app receives");
}

void UpdateQueue::push_answer(std::string answer, const json::value& extra) {
  std::lock_guard lock(mutex_);
  if (try_push(answer)) return;
  if (lost_++ == 0) client::log(client::LogLevel::warning, "the update stream is full: updates are dropped until the app receives");
  if (lost_answers_.size() < kMaxListedLostAnswers) lost_answers_.push_back(extra);
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
