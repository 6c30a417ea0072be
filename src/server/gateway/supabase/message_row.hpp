#pragma once
// A Parley message as a row of the `public.messages` table that a Supabase app reads: the shape
// of REST answers (rest_api.hpp) and of Realtime's postgres_changes records (realtime/). One
// mapping for both, so that the two never disagree about a column (docs/supabase.md).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace parley::gateway::supabase {

// The row of `message`, a message as the Parley protocol encodes it (protocol/json_codec.hpp):
// id, room_id, seq, sender_id, client_msg_id, type, text, attachment, created_at, reply_to,
// edited_at, deleted. Columns a
// message lacks are null, as PostgreSQL gives them.
boost::json::object message_row(const boost::json::object& message);

// An edit, deletion or reaction (docs/protocol.md, "A message's life"): a change to another
// row, not a row of its own. REST answers and postgres_changes leave them out; the rows they
// change read as they stand (reply_to, edited_at and deleted are columns).
bool is_event_row(const boost::json::object& message);

// The table's columns as postgres_changes names them, [{"name","type"}...]: realtime-js
// converts each value by its PostgreSQL type.
const boost::json::array& message_columns();

// `ms` since the epoch as PostgreSQL writes a timestamptz in JSON: 2026-01-02T03:04:05.678+00:00.
std::string timestamp_text(std::int64_t ms);

}  // namespace parley::gateway::supabase
