#pragma once
// A search result as both sides write it (docs/protocol.md, "Search"): the server in its answer
// to messages.search, the SDK when the C API hands the answer on. One codec, so that a field
// added to parley::SearchResult is written and read in one place.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include <parley/types.hpp>

#include "core/error.hpp"

namespace parley::protocol {

[[nodiscard]] boost::json::object to_json(const SearchResult& result);
// {"results": [...], "next_cursor"?}: the cursor only when it is not empty.
[[nodiscard]] boost::json::object search_results_json(const std::vector<SearchResult>& results,
                                                      const std::string& next_cursor);

// What a server wrote. room_id, seq and snippet must be there, as a result without them can be
// neither shown nor opened (an invalid_payload error names the field); the rest is read
// leniently, so that a newer server's result still shows.
[[nodiscard]] Result<SearchResult> search_result_from_wire(const boost::json::value& value);

}  // namespace parley::protocol
