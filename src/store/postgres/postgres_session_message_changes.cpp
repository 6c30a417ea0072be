// Changes to a stored message: an edit of its text, its deletion for everyone. The search index
// (011_message_search.sql) follows both by itself.
#include <string>

#include "store/message_change_sql.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

Result<void> changed_one(const Rows& rows, RoomId room, Seq seq) {
  if (rows.size() == 0)
    return fail(ErrorCode::not_found,
                "no message " + std::to_string(seq) + " in room " + std::to_string(room.value));
  return {};
}

}  // namespace

Result<void> PostgresSession::set_message_text(RoomId room, Seq seq, const std::string& text,
                                               TimestampMs edited_at) {
  PARLEY_TRY(rows, connection_->query(set_message_text_sql(), Params(room, seq, text, edited_at)));
  return changed_one(rows, room, seq);
}

Result<void> PostgresSession::erase_message_content(RoomId room, Seq seq, TimestampMs deleted_at) {
  PARLEY_TRY(rows, connection_->query(erase_message_content_sql(), Params(room, seq, deleted_at)));
  return changed_one(rows, room, seq);
}

}  // namespace parley::store::postgres
