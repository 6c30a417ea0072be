#pragma once
#include "bus/bus.hpp"

namespace parley::bus {

// One node: publishing hands the event straight to the handler on the publishing thread.
class LocalBus final : public Bus {
 public:
  void publish(Event event) override;
  void subscribe(Handler handler) override;

 private:
  Handler handler_;
};

}  // namespace parley::bus
