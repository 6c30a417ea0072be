#pragma once
// A webhook endpoint (or a push gateway) on loopback, as a test plays it: records every POST it
// gets (headers and body, in arrival order) on a thread of its own, and answers as told: 200,
// 500, what a responder makes of the request, or not at all (it holds the connection open
// without a word, as a hung backend does, until told otherwise or destroyed).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace parley::test {

class WebhookReceiver {
 public:
  enum class Mode { accept, fail, hang };

  struct Received {
    std::string id;         // webhook-id
    std::string timestamp;  // webhook-timestamp
    std::string signature;  // webhook-signature
    std::string body;
    int status = 0;         // what it answered; 0: nothing (it hung)
    std::map<std::string, std::string> headers;  // every header, names in lower case
  };

  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // How the next requests are answered. Leaving `hang` closes the connections held so far.
  void set_mode(Mode mode);
  // In `accept` mode, each request's answer: its status and body, from the request's body.
  using Responder = std::function<std::pair<int, std::string>(const std::string& body)>;
  void set_responder(Responder responder);
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::vector<Received> received() const;
  // Waits until `done(received())` holds, up to `limit` (a bound on a hung test, not a
  // measurement); returns whether it held.
  bool wait_until(const std::function<bool(const std::vector<Received>&)>& done,
                  std::chrono::seconds limit = std::chrono::seconds(60));

 private:
  struct Impl;
  void accept_next();
  void record(Received received);

  std::unique_ptr<Impl> impl_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Received> received_;
  std::thread thread_;
};

}  // namespace parley::test
