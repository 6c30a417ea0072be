#pragma once
#include "server/service/committed.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

// Submits a write job whose events are published after the commit, before the reply.
// `lock_order`: see WriteQueue::submit_ordered.
template <class T>
void submit_change(WriteQueue& writes, EventPublisher& events,
                   std::function<Result<Committed<T>>(store::StoreSession&)> work, Done<T> done,
                   std::int64_t lock_order = 0) {
  // The outbox's deliveries are written in the change's own transaction: what commits has them.
  auto work_and_outbox = [&events, work = std::move(work)](store::StoreSession& session) -> Result<Committed<T>> {
    PARLEY_TRY(out, work(session));
    PARLEY_CHECK(events.record_in_outbox(session, out.events));
    return out;
  };
  writes.submit_ordered<Committed<T>>(lock_order, std::move(work_and_outbox), [&events, done = std::move(done)](Result<Committed<T>> result) {
    if (!result) return done(std::unexpected(result.error()));
    result->events.publish(events);
    done(std::move(result->reply));
  });
}

}  // namespace parley::service
