#pragma once
// The parameters of the operations that read more than a field or two, as pure functions of a
// request's fields: read here without a service behind them, so they can be checked alone.
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "domain/message.hpp"
#include "server/service/sync_service.hpp"

namespace parley::gateway {

// messages.send: the message as its sender gave it, not yet validated.
[[nodiscard]] Result<domain::Message> outgoing_message(const boost::json::object& params);

// sync: the rooms the client holds, each with the last seq it has, and the page size.
[[nodiscard]] Result<service::SyncRequest> sync_request(const boost::json::object& params);

}  // namespace parley::gateway
