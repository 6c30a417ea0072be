#include "bus/local/local_bus.hpp"

#include <utility>

namespace parley::bus {

void LocalBus::publish(Event event) {
  if (handler_) handler_(event);
}

void LocalBus::subscribe(Handler handler) { handler_ = std::move(handler); }

}  // namespace parley::bus
