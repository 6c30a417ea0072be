#pragma once
// Frames delivered on a thread while a completion batch is open there (the replies and events of
// one group commit), held until it closes and then handed to each connection together. A
// connection with several of them gets one visit from its strand and one write, instead of one
// of each per frame: in a burst into a large room, most of the cost of a delivery was its own
// system call.
#include <memory>

#include "server/hub/subscriber.hpp"

namespace parley::gateway {

class WsSession;

namespace held_deliveries {

// Holds `frame` for `session` when a completion batch is open on this thread and returns true;
// returns false, with `frame` untouched, when none is. Frames for one connection keep their order.
[[nodiscard]] bool hold(WsSession& session, hub::Frame& frame);

}  // namespace held_deliveries
}  // namespace parley::gateway
