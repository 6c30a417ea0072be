#pragma once
// Delivers what the outbox holds of one kind (webhook calls, push notifications), on every
// node: claims due deliveries under a lease (so that in a cluster each goes out from one node),
// hands each to the kind's sender, and records how each attempt went; retries with exponential
// backoff and jitter up to a limit, then `failed`.
//
// Nothing here runs on an I/O thread or on the message path: claims and outcomes are small jobs
// of the single writer, the sends run on the sender's own threads, and this class's thread only
// decides when to claim. A hanging receiver holds one slot of max_in_flight until the sender's
// timeout ends the attempt.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "domain/delivery.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

// How one attempt ended, as the sender tells it.
struct SendOutcome {
  // The answer's HTTP status (2xx: delivered), or the error when none came (retried).
  Result<int> status = 0;
  // Never retried, whatever the status: the receiver is gone (an endpoint no longer configured,
  // a push key the gateway rejected). Recorded as `failed`, with `note` as its error.
  bool give_up = false;
  std::string note;
  // Store work that must commit with the outcome, or not at all: the rows a delivery expands
  // into, a target to remove. Failing, it leaves the delivery leased, to be attempted again.
  std::function<Result<void>(store::StoreSession&)> with_outcome;
  // Runs once the outcome (and with_outcome) committed: e.g. wakes the worker of what it wrote.
  std::function<void()> after_commit;
};

// Sends the deliveries of one outbox kind.
class DeliverySender {
 public:
  virtual ~DeliverySender() = default;
  [[nodiscard]] virtual std::string_view kind() const = 0;
  // Attempts `delivery`; `done` runs once, on any thread, inside this call or later. Each
  // attempt must be bounded by a timeout.
  virtual void attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) = 0;
};

class DeliveryWorker {
 public:
  struct Limits {
    // Attempts under way at once on this node; also the most one claim takes. The outbox itself
    // lives in the store, on disk: a backlog costs disk, never this process's memory.
    std::size_t max_in_flight = 32;
    // The sender's timeout for one attempt. A claim leases its deliveries for twice this,
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

  DeliveryWorker(WriteQueue& writes, DeliverySender& sender, Limits limits);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Deliveries were written or made due: claim now rather than at the next poll. Thread-safe.
  void wake();
  // Ends the thread and the sends: none is handed to the sender after it returns, so the sender
  // may then go. Outcomes of attempts under way are still recorded while the writer runs.
  void stop();

  // The wait before attempt `attempts` + 1, after `attempts` failed ones, jitter left out.
  [[nodiscard]] static std::chrono::milliseconds backoff(const Limits& limits, int attempts);

 private:
  void run_loop();
  void do_claim(std::size_t room);
  void on_claimed(Result<std::vector<domain::Delivery>> claimed);
  void do_attempt(const domain::Delivery& delivery);
  void on_answer(const domain::Delivery& delivery, SendOutcome sent);
  void do_record(store::DeliveryOutcome outcome, std::function<Result<void>(store::StoreSession&)> with_outcome,
                 std::function<void()> after_commit);
  void do_clean_up();

  WriteQueue& writes_;
  DeliverySender& sender_;
  const std::string kind_;
  Limits limits_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = true;  // the first pass claims at once: deliveries may be waiting from before
  bool stopping_ = false;
  bool claiming_ = false;        // a claim job is queued or running
  std::size_t in_flight_ = 0;    // claimed and not yet recorded
  std::size_t handing_over_ = 0; // attempts being handed to the sender: stop() waits for them
  std::chrono::steady_clock::time_point next_clean_up_{};
  // The earliest retry an attempt of this node scheduled: claimed then, not at the next poll.
  std::chrono::steady_clock::time_point earliest_retry_ = std::chrono::steady_clock::time_point::max();
  std::thread thread_;
};

}  // namespace parley::service
