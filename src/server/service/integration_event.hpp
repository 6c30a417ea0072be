#pragma once
// An event for the app's backend (a webhook's payload): its type, the room whose order it keeps,
// and its data, in the wire protocol's shapes (docs/integration.md).
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/ids.hpp"

namespace parley::service {

struct IntegrationEvent {
  std::string type;  // one of webhook_event_types()
  std::optional<RoomId> room;  // a room's events reach each endpoint in the order they committed
  boost::json::object data;
  TimestampMs at_ms = 0;  // when the change committed
};

}  // namespace parley::service
