#pragma once
// The C API's update stream: updates and answers waiting for parley_client_receive, bounded in
// bytes so that an app that stops receiving does not make the client grow without end.
//
// Policy when full: the new update is dropped and counted (the queued ones are older and
// already promised in order); the next receive then returns
// {"type":"updates_lost","count":N,"answers_lost":[...]} before anything else, so nothing is
// lost without a word. An update always fits in an empty queue, so a bound smaller than one
// update still lets updates through one at a time.
#include <boost/json/value.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace parley::c_api {

class UpdateQueue {
 public:
  explicit UpdateQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void push(std::string update);
  // An answer whose loss the app must hear of by its @extra, to stop waiting for it.
  void push_answer(std::string answer, const boost::json::value& extra);
  // A re-announcement after a loss (the connection, each local room): queued even past the
  // bound. It is one burst per loss, as large as the rooms list; dropping and counting it could
  // instead report a loss again at every receive and never recover.
  void push_recovery(std::string update);

  struct Next {
    std::string text;
    bool lost = false;  // an updates_lost report: the caller re-announces the state
  };
  // The next update, waiting up to `timeout`; nullopt when none came.
  [[nodiscard]] std::optional<Next> pop(std::chrono::duration<double> timeout);

 private:
  // At most this many lost answers' @extra values are listed; more are only counted.
  static constexpr std::size_t kMaxListedLostAnswers = 1000;

  bool try_push(std::string& update);  // with mutex_ held

  const std::size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::string> queue_;
  std::size_t bytes_ = 0;
  std::size_t lost_ = 0;
  boost::json::array lost_answers_;
};

}  // namespace parley::c_api
