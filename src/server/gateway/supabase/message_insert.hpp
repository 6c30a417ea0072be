#pragma once
// POST /rest/v1/messages: the body's rows become messages.send calls, one after another, each
// acknowledged after its commit. Rows are checked before the first is sent, so a bad row stores
// nothing; a refusal from the service partway (a room the caller is not in, say) leaves the rows
// before it stored, which a retry with the same client_msg_ids returns without a second copy.
#include <boost/json/object.hpp>
#include <string_view>
#include <vector>

#include "server/gateway/operations.hpp"
#include "server/gateway/supabase/message_pages.hpp"

namespace parley::gateway::supabase {

// At most this many rows per insert: each is its own send, and one request should stay short.
inline constexpr std::size_t kMaxInsertRows = 100;

// The messages.send parameters of each row of `body` (an object, or an array of objects).
// A row without client_msg_id gets a fresh random one (the send is then not idempotent, as a
// plain INSERT is not); sender_id, when present, must be the caller.
[[nodiscard]] Rest<std::vector<boost::json::object>> insert_params(std::string_view body, UserId caller);

// Sends each in order; answers the stored rows (the original one for a repeated client_msg_id).
void insert_messages(const Operations& operations, const service::Caller& caller,
                     std::vector<boost::json::object> sends, RowsDone done);

}  // namespace parley::gateway::supabase
