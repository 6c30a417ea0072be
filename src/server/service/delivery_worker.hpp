#pragma once
// Delivers what the outbox holds for webhooks, on every node: claims due deliveries under a
// lease (so that in a cluster each goes out from one node), posts them signed, and records how
// each attempt went; retries with exponential backoff and jitter up to a limit, then `failed`.
//
// Nothing here runs on an I/O thread or on the message path: claims and outcomes are small jobs
// of the single writer, the posts run on the transport's own thread, and this class's thread
// only decides when to claim. A hanging endpoint holds one slot of max_in_flight until the
// transport's timeout ends the attempt.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "domain/delivery.hpp"
#include "server/service/webhook_outbox.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

// One signed POST, as the transport sends it.
struct WebhookPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
// Sends a post; `done` gets the answer's HTTP status, or `unavailable` when no answer came
// (refused, timed out). It must bound each attempt by a timeout, and never call `done` inside
// (the worker's lock is held during the call).
using WebhookTransport = std::function<void(WebhookPost, std::function<void(Result<int>)>)>;

class DeliveryWorker {
 public:
  struct Limits {
    // Attempts under way at once on this node; also the most one claim takes. The outbox itself
    // lives in the store, on disk: a backlog costs disk, never this process's memory.
    std::size_t max_in_flight = 32;
    // The transport's timeout for one attempt. A claim leases its deliveries for twice this,
    // so that a lease outlives its attempt and expires only when its node is gone.
    std::chrono::milliseconds attempt_timeout{std::chrono::seconds(10)};
    int max_attempts = 8;  // then `failed`; the last comes about 2^(max_attempts-1) first_retry later
    std::chrono::milliseconds first_retry{std::chrono::seconds(5)};
    std::chrono::milliseconds max_retry{std::chrono::minutes(30)};
    // How often the store is looked at without a wake-up: retries that fell due, another node's
    // deliveries, leases of a node that died.
    std::chrono::milliseconds poll{std::chrono::seconds(1)};
    // Delivered and failed deliveries stay listed this long, then go.
    std::chrono::hours keep_finished{24 * 7};
  };

  DeliveryWorker(WriteQueue& writes, const WebhookOutbox& outbox, WebhookTransport transport, Limits limits);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Deliveries were written or made due: claim now rather than at the next poll. Thread-safe.
  void wake();
  // Ends the thread and the posts: none is handed to the transport after it returns, so the
  // transport may then go. Outcomes of attempts under way are still recorded while the writer runs.
  void stop();

  // The wait before attempt `attempts` + 1, after `attempts` failed ones, jitter left out.
  [[nodiscard]] static std::chrono::milliseconds backoff(const Limits& limits, int attempts);

 private:
  void run_loop();
  void do_claim(std::size_t room);
  void on_claimed(Result<std::vector<domain::Delivery>> claimed);
  void do_attempt(const domain::Delivery& delivery);
  void on_answer(const domain::Delivery& delivery, Result<int> status);
  void do_record(store::DeliveryOutcome outcome);
  void do_clean_up();

  WriteQueue& writes_;
  const WebhookOutbox& outbox_;
  WebhookTransport transport_;
  Limits limits_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = true;  // the first pass claims at once: deliveries may be waiting from before
  bool stopping_ = false;
  bool claiming_ = false;        // a claim job is queued or running
  std::size_t in_flight_ = 0;    // claimed and not yet recorded
  std::chrono::steady_clock::time_point next_clean_up_{};
  // The earliest retry an attempt of this node scheduled: claimed then, not at the next poll.
  std::chrono::steady_clock::time_point earliest_retry_ = std::chrono::steady_clock::time_point::max();
  std::thread thread_;
};

}  // namespace parley::service
