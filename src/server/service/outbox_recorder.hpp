#pragma once
// One kind of work that leaves the system (webhooks, push), as a change's transaction records
// it in the outbox: everything committed has its deliveries, and kill -9 loses none.
#include <cstddef>

#include "core/error.hpp"

namespace parley::store {
class StoreSession;
}

namespace parley::service {

class PendingEvents;

class OutboxRecorder {
 public:
  virtual ~OutboxRecorder() = default;
  // Inside the change's transaction: writes the deliveries `events` call for; returns how many.
  // With nothing to deliver, it should cost next to nothing: it runs with every change.
  [[nodiscard]] virtual Result<std::size_t> record(store::StoreSession& session, const PendingEvents& events) = 0;
  // After the commit of a transaction that wrote some: the worker starts on them at once.
  virtual void written() const = 0;
};

}  // namespace parley::service
