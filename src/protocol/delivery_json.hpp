#pragma once
// A webhook delivery's JSON shape for the server API (docs/integration.md, "Recent deliveries
// and redelivery").
#include <boost/json/object.hpp>

#include "domain/delivery.hpp"

namespace parley::protocol {

// {"id", "position", "event_type", "target", "status", "attempts", "next_attempt_ms",
//  "last_http_status" (null without an answer), "last_error", "created_at_ms", "updated_at_ms"}.
// The payload is left out: the receiver has it, and a list stays small.
[[nodiscard]] boost::json::object to_json(const domain::Delivery& delivery);

}  // namespace parley::protocol
