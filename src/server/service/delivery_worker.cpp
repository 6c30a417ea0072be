#include "server/service/delivery_worker.hpp"

#include <algorithm>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/thread_name.hpp"

namespace parley::service {
namespace {

// The most of the finished deliveries one clean-up removes: one transaction stays small.
constexpr int kCleanUpBatch = 1000;
constexpr auto kCleanUpEvery = std::chrono::minutes(10);
// What of an error is kept for the operator to read.
constexpr std::size_t kMaxErrorChars = 500;

}  // namespace

DeliveryWorker::DeliveryWorker(WriteQueue& writes, DeliverySender& sender, Limits limits)
    : writes_(writes), sender_(sender), kind_(sender.kind()), limits_(limits) {
  thread_ = std::thread([this] {
    core::name_this_thread("parley-deliver");
    run_loop();
  });
}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  wake_.notify_one();
}

void DeliveryWorker::stop() {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    // No attempt is left half handed over: the sender may go once this returns.
    wake_.wait(lock, [this] { return handing_over_ == 0; });
  }
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds DeliveryWorker::backoff(const Limits& limits, int attempts) {
  auto wait = limits.first_retry;
  for (int i = 1; i < attempts && wait < limits.max_retry; ++i) wait *= 2;
  return std::min(wait, limits.max_retry);
}

void DeliveryWorker::run_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Until a wake-up, the next poll, or the earliest retry this node scheduled, if sooner.
    const auto until = std::min(std::chrono::steady_clock::now() + limits_.poll, earliest_retry_);
    wake_.wait_until(lock, until, [this] { return woken_ || stopping_; });
    if (stopping_) break;
    woken_ = false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= earliest_retry_) earliest_retry_ = std::chrono::steady_clock::time_point::max();
    if (now >= next_clean_up_) {
      next_clean_up_ = now + kCleanUpEvery;
      lock.unlock();
      do_clean_up();
      lock.lock();
    }
    // One claim at a time, and only for free slots: what is claimed is attempted at once.
    if (claiming_ || in_flight_ >= limits_.max_in_flight) continue;
    claiming_ = true;
    const std::size_t room = limits_.max_in_flight - in_flight_;
    lock.unlock();
    do_claim(room);
    lock.lock();
  }
}

void DeliveryWorker::do_claim(std::size_t room) {
  const std::string kind = kind_;
  const auto lease = 2 * limits_.attempt_timeout;
  writes_.submit_background<std::vector<domain::Delivery>>(
      [kind, lease, room](store::StoreSession& session) {
        const TimestampMs now = now_ms();
        return session.claim_deliveries(kind, now, now + lease.count(), static_cast<int>(room));
      },
      [this, room](Result<std::vector<domain::Delivery>> claimed) {
        const bool full = claimed && claimed->size() == room;
        on_claimed(std::move(claimed));
        if (full) wake();  // more may be due
      });
}

void DeliveryWorker::on_claimed(Result<std::vector<domain::Delivery>> claimed) {
  {
    std::lock_guard lock(mutex_);
    claiming_ = false;
    if (claimed) in_flight_ += claimed->size();
  }
  if (!claimed) {
    spdlog::warn("{}: claiming deliveries failed: {}", kind_, claimed.error().message);
    return;
  }
  for (const auto& delivery : *claimed) do_attempt(delivery);
}

void DeliveryWorker::do_attempt(const domain::Delivery& delivery) {
  // Counted while handed over, so that stop() returning means no attempt is being handed to the
  // sender: it may go away after that. A claim that completes after stop() is not attempted;
  // its lease runs out and it is attempted again later (at least once).
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    ++handing_over_;
  }
  sender_.attempt(delivery, [this, delivery](SendOutcome sent) { on_answer(delivery, std::move(sent)); });
  std::lock_guard lock(mutex_);
  if (--handing_over_ == 0 && stopping_) wake_.notify_all();
}

void DeliveryWorker::on_answer(const domain::Delivery& delivery, SendOutcome sent) {
  store::DeliveryOutcome outcome{.id = delivery.id, .at_ms = now_ms()};
  const Result<int>& status = sent.status;
  const bool accepted = status && *status >= 200 && *status < 300;
  if (status) {
    outcome.http_status = *status;
    if (!accepted) outcome.error = "HTTP " + std::to_string(*status);
  } else {
    outcome.error = status.error().message.substr(0, kMaxErrorChars);
  }
  if (!sent.note.empty()) outcome.error = sent.note.substr(0, kMaxErrorChars);
  if (sent.give_up) {
    outcome.status = domain::DeliveryStatus::failed;
  } else if (accepted) {
    outcome.status = domain::DeliveryStatus::delivered;
  } else if (delivery.attempts >= limits_.max_attempts) {
    outcome.status = domain::DeliveryStatus::failed;
  } else {
    // Jitter: between half and all of the backoff, so that a crowd of deliveries that failed
    // together (an endpoint down) does not come back together.
    const auto wait = backoff(limits_, delivery.attempts).count();
    const auto jitter = static_cast<std::int64_t>(randombytes_uniform(static_cast<std::uint32_t>(wait / 2 + 1)));
    outcome.status = domain::DeliveryStatus::pending;
    outcome.next_attempt_ms = outcome.at_ms + wait - jitter;
  }
  do_record(std::move(outcome), std::move(sent.with_outcome), std::move(sent.after_commit));
}

void DeliveryWorker::do_record(store::DeliveryOutcome outcome,
                               std::function<Result<void>(store::StoreSession&)> with_outcome,
                               std::function<void()> after_commit) {
  // A retry soon (a short backoff) is claimed when due rather than at the next poll.
  const auto retry_at = outcome.status == domain::DeliveryStatus::pending
                            ? std::chrono::steady_clock::now() + std::chrono::milliseconds(outcome.next_attempt_ms - outcome.at_ms)
                            : std::chrono::steady_clock::time_point::max();
  writes_.submit_background<std::monostate>(
      [outcome, with_outcome = std::move(with_outcome)](store::StoreSession& session) -> Result<std::monostate> {
        if (with_outcome) PARLEY_CHECK(with_outcome(session));
        PARLEY_CHECK(session.finish_attempt(outcome));
        return std::monostate{};
      },
      [this, id = outcome.id, retry_at, after_commit = std::move(after_commit)](Result<std::monostate> recorded) {
        if (recorded && after_commit) after_commit();
        // Not recorded: the lease runs out, and the delivery is attempted again (at least once).
        if (!recorded) spdlog::warn("{}: recording delivery {} failed: {}", kind_, id, recorded.error().message);
        {
          std::lock_guard lock(mutex_);
          --in_flight_;
          earliest_retry_ = std::min(earliest_retry_, retry_at);
        }
        wake();  // a slot is free, and the room's next delivery may go now
      });
}

void DeliveryWorker::do_clean_up() {
  const auto keep = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.keep_finished);
  writes_.submit_background<std::int64_t>(
      [keep](store::StoreSession& session) { return session.delete_finished_deliveries(now_ms() - keep.count(), kCleanUpBatch); },
      [kind = kind_](Result<std::int64_t> removed) {
        if (!removed) spdlog::warn("{}: removing finished deliveries failed: {}", kind, removed.error().message);
      });
}

}  // namespace parley::service
