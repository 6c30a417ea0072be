#pragma once
// The caller's rooms as rows of a `rooms` table: the columns, the mapping from Parley's Room
// object, and the small query rooms support (eq filters, one order, limit and offset), applied
// to the caller's list. Pure: the list is rooms.list's answer, a few hundred rooms at most.
#include <boost/json/object.hpp>
#include <vector>

#include "server/gateway/supabase/postgrest_query.hpp"

namespace parley::gateway::supabase {

// id int8, kind text, name text, created_by int8, created_at timestamptz, last_seq int8,
// member_count int8, unread_count int8 (docs/supabase.md).
[[nodiscard]] const TableShape& rooms_table();

// The row of `room`, a Room as the Parley protocol encodes it (rooms.list).
[[nodiscard]] boost::json::object room_row(const boost::json::object& room);

struct RoomSelection {
  std::vector<boost::json::object> rows;
  std::int64_t matched = 0;  // rows the filters let through, before offset and limit: the count
};

// The rows `query` asks for: eq filters on any column, order by one column (rooms.list's order,
// most recent activity first, when none), then offset and limit. Filters other than eq are
// refused.
[[nodiscard]] Rest<RoomSelection> select_rooms(std::vector<boost::json::object> rows, const ReadQuery& query);

}  // namespace parley::gateway::supabase
