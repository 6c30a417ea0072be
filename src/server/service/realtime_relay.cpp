#include "server/service/realtime_relay.hpp"

#include <memory>

namespace parley::service {

void RealtimeRelay::publish(std::string relayed) {
  bus::Event event;
  event.audience = bus::Event::Audience::realtime_topic;
  event.frame = std::make_shared<const std::string>(std::move(relayed));
  bus_.publish(std::move(event));
}

void RealtimeRelay::arrived(const bus::Event& event) const {
  if (handler_ && event.frame) handler_(*event.frame);
}

}  // namespace parley::service
