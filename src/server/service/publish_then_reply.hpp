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
  writes.submit_ordered<Committed<T>>(lock_order, std::move(work), [&events, done = std::move(done)](Result<Committed<T>> result) {
    if (!result) return done(std::unexpected(result.error()));
    result->events.publish(events);
    done(std::move(result->reply));
  });
}

}  // namespace parley::service
