#include "protocol/delivery_json.hpp"

namespace parley::protocol {

boost::json::object to_json(const domain::Delivery& d) {
  boost::json::object o{{"id", d.id},
                        {"position", d.position},
                        {"event_type", d.event_type},
                        {"target", d.target},
                        {"status", domain::to_string(d.status)},
                        {"attempts", d.attempts},
                        {"next_attempt_at", d.next_attempt_ms},
                        {"last_error", d.last_error},
                        {"created_at", d.created_at_ms},
                        {"updated_at", d.updated_at_ms}};
  if (d.last_http_status)
    o["last_http_status"] = *d.last_http_status;
  else
    o["last_http_status"] = nullptr;
  return o;
}

}  // namespace parley::protocol
