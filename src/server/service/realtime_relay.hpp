#pragma once
// Supabase Realtime broadcasts between the nodes of a cluster. A node hands its own joiners a
// broadcast at once (gateway/realtime/topic_registry.hpp) and relays it here; every other node
// hands it to its joiners of the topic. Like typing, a broadcast is a hint that is not kept:
// one the bus loses is gone, as on Supabase.
#include <functional>
#include <string>
#include <string_view>

#include "bus/bus.hpp"

namespace parley::service {

class RealtimeRelay {
 public:
  using Handler = std::function<void(std::string_view relayed)>;

  explicit RealtimeRelay(bus::Bus& bus) : bus_(bus) {}

  // `relayed` as the gateway encodes it; the other nodes' handlers get the same bytes.
  void publish(std::string relayed);
  // Set once at start-up, before any connection.
  void on_arrival(Handler handler) { handler_ = std::move(handler); }
  // A relayed broadcast from another node (the bus handler's call).
  void arrived(const bus::Event& event) const;

 private:
  bus::Bus& bus_;
  Handler handler_;
};

}  // namespace parley::service
