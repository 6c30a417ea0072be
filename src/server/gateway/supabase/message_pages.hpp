#pragma once
// A messages query answered from Parley's own reads: newest first through messages.history,
// oldest first through sync, page after page until the window is full. No new read path: the
// same operations (and the same membership checks) as every other client.
#include <boost/json/object.hpp>
#include <functional>
#include <vector>

#include "server/gateway/operations.hpp"
#include "server/gateway/supabase/postgrest_query.hpp"

namespace parley::gateway::supabase {

using RowsDone = std::function<void(Rest<std::vector<boost::json::object>>)>;

// Answers the window's rows (message_row.hpp), in its order, once, on a service thread.
// `operations` must outlive the call (it lives in the gateway's context).
void read_messages(const Operations& operations, const service::Caller& caller, const MessageWindow& window,
                   RowsDone done);

}  // namespace parley::gateway::supabase
