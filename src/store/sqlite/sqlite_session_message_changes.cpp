// Changes to a stored message: an edit of its text, its deletion for everyone. The search index
// follows both by its triggers (012_message_search.sql).
#include <string>

#include "store/message_change_sql.hpp"
#include "store/message_sql.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

// Runs a change that returns the changed row's id; not_found when it changed none.
Result<void> change_one(Connection& connection, const std::string& sql, RoomId room, Seq seq, auto... values) {
  PARLEY_TRY(change, connection.prepare(sql));
  change.bind_all(room, seq, values...);
  PARLEY_TRY(changed, fetch_optional(change, [](const Statement& row) -> Result<std::int64_t> { return row.int64(0); }));
  if (!changed)
    return fail(ErrorCode::not_found,
                "no message " + std::to_string(seq) + " in room " + std::to_string(room.value));
  return {};
}

}  // namespace

Result<void> SqliteSession::set_message_text(RoomId room, Seq seq, const std::string& text, TimestampMs edited_at) {
  static const std::string sql = sqlite_placeholders(set_message_text_sql());
  return change_one(*connection_, sql, room, seq, std::string_view(text), edited_at);
}

Result<void> SqliteSession::erase_message_content(RoomId room, Seq seq, TimestampMs deleted_at) {
  static const std::string sql = sqlite_placeholders(erase_message_content_sql());
  return change_one(*connection_, sql, room, seq, deleted_at);
}

}  // namespace parley::store::sqlite
