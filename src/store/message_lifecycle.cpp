// A message's life after it is sent: the statements of replies, edits, deletions and reactions,
// written once for both backends (store/sql_database.hpp).
#include <string>

#include "store/message_sql.hpp"
#include "store/row_mapping.hpp"
#include "store/store.hpp"

namespace parley::store {
namespace {

Result<domain::Message> message_row(const SqlRow& row) { return read_message(row, 0); }

}  // namespace

Result<std::optional<domain::Message>> StoreSession::find_message_at(RoomId room, Seq seq) {
  static const std::string statement =
      "SELECT " + message_columns() + " FROM messages WHERE room_id = $1 AND seq = $2";
  return sql_optional<domain::Message>(sql(), statement, sql_params(room, seq), message_row);
}

Result<std::vector<domain::Message>> StoreSession::list_messages_at(RoomId room, std::span<const Seq> seqs) {
  if (seqs.empty()) return std::vector<domain::Message>();
  if (seqs.size() > 100) return fail(ErrorCode::internal, "list_messages_at takes at most 100 seqs");
  // One placeholder per seq: the same text on both backends, and each length prepared once.
  std::string statement = "SELECT " + message_columns() + " FROM messages WHERE room_id = $1 AND seq IN (";
  std::vector<SqlValue> params{sql_value(room)};
  for (Seq seq : seqs) {
    statement += (params.size() > 1 ? ", $" : "$") + std::to_string(params.size() + 1);
    params.push_back(sql_value(seq));
  }
  statement += ") ORDER BY seq";
  return sql_all<domain::Message>(sql(), statement, params, message_row);
}

Result<void> StoreSession::edit_message(RoomId room, Seq seq, const std::string& text, TimestampMs at) {
  // The text being replaced becomes the next version, dated when it was written.
  PARLEY_CHECK(sql_execute(sql(),
                           "INSERT INTO message_versions (room_id, seq, version, text, written_at)"
                           " SELECT room_id, seq, 1 + (SELECT COUNT(*) FROM message_versions v"
                           "   WHERE v.room_id = $1 AND v.seq = $2), text, COALESCE(edited_at, created_at)"
                           " FROM messages WHERE room_id = $1 AND seq = $2",
                           sql_params(room, seq)));
  return sql_execute(sql(), "UPDATE messages SET text = $3, edited_at = $4 WHERE room_id = $1 AND seq = $2",
                     sql_params(room, seq, text, at));
}

Result<std::optional<std::string>> StoreSession::delete_message(RoomId room, Seq seq, TimestampMs at) {
  const auto key = sql_params(room, seq);
  PARLEY_TRY(upload, sql_optional<std::optional<std::string>>(
                         sql(), "SELECT att_upload_id FROM messages WHERE room_id = $1 AND seq = $2", key,
                         [](const SqlRow& row) -> Result<std::optional<std::string>> { return row.optional_text(0); }));
  PARLEY_CHECK(sql_execute(sql(),
                           "UPDATE messages SET text = '', att_upload_id = NULL, att_name = NULL, att_mime = NULL,"
                           " att_size = NULL, att_width = NULL, att_height = NULL, att_duration_ms = NULL,"
                           " deleted_at = $3 WHERE room_id = $1 AND seq = $2",
                           sql_params(room, seq, at)));
  // The edits' texts are earlier words of the same message: they go with it.
  PARLEY_CHECK(sql_execute(
      sql(), "UPDATE messages SET text = '' WHERE room_id = $1 AND relates_to = $2 AND type = 'edit'", key));
  PARLEY_CHECK(sql_execute(sql(), "DELETE FROM message_versions WHERE room_id = $1 AND seq = $2", key));
  PARLEY_CHECK(sql_execute(sql(), "DELETE FROM reactions WHERE room_id = $1 AND seq = $2", key));
  if (!upload) return std::optional<std::string>();
  return *upload;
}

Result<std::vector<domain::MessageVersion>> StoreSession::list_message_versions(RoomId room, Seq seq) {
  return sql_all<domain::MessageVersion>(
      sql(), "SELECT version, text, written_at FROM message_versions WHERE room_id = $1 AND seq = $2 ORDER BY version",
      sql_params(room, seq), [](const SqlRow& row) -> Result<domain::MessageVersion> {
        return domain::MessageVersion{.version = row.int64(0), .text = row.text(1), .written_at_ms = row.int64(2)};
      });
}

Result<StoreSession::ReactionTally> StoreSession::tally_reactions(RoomId room, Seq seq, UserId user) {
  PARLEY_TRY(tally, sql_optional<ReactionTally>(
                        sql(),
                        "SELECT COUNT(DISTINCT emoji), COALESCE(SUM(CASE WHEN user_id = $3 THEN 1 ELSE 0 END), 0)"
                        " FROM reactions WHERE room_id = $1 AND seq = $2",
                        sql_params(room, seq, user), [](const SqlRow& row) -> Result<ReactionTally> {
                          return ReactionTally{.distinct = row.int64(0), .mine = row.int64(1)};
                        }));
  return tally.value_or(ReactionTally{});
}

Result<bool> StoreSession::add_reaction(RoomId room, Seq seq, UserId user, const std::string& emoji, TimestampMs at) {
  PARLEY_TRY(added, sql_count_rows(sql(),
                                   "INSERT INTO reactions (room_id, seq, emoji, user_id, created_at)"
                                   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING seq",
                                   sql_params(room, seq, emoji, user, at)));
  return added > 0;
}

Result<bool> StoreSession::remove_reaction(RoomId room, Seq seq, UserId user, const std::string& emoji) {
  PARLEY_TRY(removed, sql_count_rows(sql(),
                                     "DELETE FROM reactions WHERE room_id = $1 AND seq = $2 AND emoji = $3"
                                     " AND user_id = $4 RETURNING seq",
                                     sql_params(room, seq, emoji, user)));
  return removed > 0;
}

Result<std::vector<domain::Reaction>> StoreSession::list_reactions(RoomId room, Seq seq) {
  return sql_all<domain::Reaction>(
      sql(),
      "SELECT r.emoji, r.user_id, r.created_at FROM reactions r"
      " JOIN (SELECT emoji, MIN(created_at) AS first_at FROM reactions WHERE room_id = $1 AND seq = $2"
      "       GROUP BY emoji) f ON f.emoji = r.emoji"
      " WHERE r.room_id = $1 AND r.seq = $2 ORDER BY f.first_at, r.emoji, r.created_at, r.user_id",
      sql_params(room, seq), [](const SqlRow& row) -> Result<domain::Reaction> {
        return domain::Reaction{.emoji = row.text(0), .user = UserId(row.int64(1)), .created_at_ms = row.int64(2)};
      });
}

Result<std::vector<StoreSession::SeqReactionCount>> StoreSession::count_reactions(RoomId room, Seq first, Seq last,
                                                                                UserId reader) {
  return sql_all<SeqReactionCount>(
      sql(),
      "SELECT seq, emoji, COUNT(*), MAX(CASE WHEN user_id = $4 THEN 1 ELSE 0 END) FROM reactions"
      " WHERE room_id = $1 AND seq BETWEEN $2 AND $3 GROUP BY seq, emoji ORDER BY seq, MIN(created_at), emoji",
      sql_params(room, first, last, reader), [](const SqlRow& row) -> Result<SeqReactionCount> {
        return SeqReactionCount{.seq = row.int64(0),
                                .count = domain::ReactionCount{
                                    .emoji = row.text(1), .count = row.int64(2), .mine = row.int64(3) != 0}};
      });
}

Result<void> StoreSession::release_upload(const std::string& id) {
  // Unreferenced and dated at the epoch: older than any sweep's cut-off.
  return sql_execute(sql(),
                     "UPDATE uploads SET referenced_at = NULL, created_at = 0 WHERE id = $1"
                     " AND NOT EXISTS (SELECT 1 FROM messages WHERE att_upload_id = $1)",
                     sql_params(id));
}

}  // namespace parley::store
