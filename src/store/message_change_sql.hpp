#pragma once
// Changes to a stored message, once for both backends ($1 placeholders, as store/message_sql.hpp):
// an edit sets the text in place, a deletion for everyone takes the text and attachment and marks
// the row. Each returns the changed row's id, so that "no such message" is an empty result.
#include <string>

namespace parley::store {

// $1 room, $2 seq, $3 text, $4 edited_at.
[[nodiscard]] const std::string& set_message_text_sql();
// $1 room, $2 seq, $3 deleted_at.
[[nodiscard]] const std::string& erase_message_content_sql();

}  // namespace parley::store
