#pragma once
// A read that must see the store as one moment: a page of messages in their current state and
// the room's last seq beside it, so that a client knows which events the page already holds.
#include <utility>

#include "core/error.hpp"
#include "store/store.hpp"

namespace parley::service {

// Runs `read()` inside a read snapshot of `session` (StoreSession::begin_read_snapshot); the
// snapshot ends when it returns, whatever the outcome, so that the reader's session never
// keeps an old snapshot open for the next job.
template <class Read>
auto in_read_snapshot(store::StoreSession& session, Read&& read) -> decltype(read()) {
  struct End {
    store::StoreSession& session;
    ~End() { session.rollback(); }
  };
  if (auto begun = session.begin_read_snapshot(); !begun) return std::unexpected(std::move(begun.error()));
  End end{session};
  return std::forward<Read>(read)();
}

}  // namespace parley::service
