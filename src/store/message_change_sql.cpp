#include "store/message_change_sql.hpp"

namespace parley::store {

const std::string& set_message_text_sql() {
  static const std::string sql =
      "UPDATE messages SET text = $3, edited_at = $4 WHERE room_id = $1 AND seq = $2 RETURNING id";
  return sql;
}

const std::string& erase_message_content_sql() {
  static const std::string sql =
      "UPDATE messages SET text = '', att_upload_id = NULL, att_name = NULL, att_mime = NULL, att_size = NULL,"
      " att_width = NULL, att_height = NULL, att_duration_ms = NULL, deleted_at = $3"
      " WHERE room_id = $1 AND seq = $2 RETURNING id";
  return sql;
}

}  // namespace parley::store
