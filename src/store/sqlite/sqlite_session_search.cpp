// Message search with FTS5 (012_message_search.sql): the index finds and ranks, the filter keeps
// to the reader's rooms.
#include <string>

#include "store/message_sql.hpp"
#include "store/search_sql.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

// $1 reader, $2 the FTS5 query, $3 room or 0, $4 limit, $5 offset. bm25 is lower for a better
// match; the id breaks ties, so that the order, and with it every page, is the same each time.
const std::string& search_sql() {
  static const std::string sql = sqlite_placeholders(
      "WITH hits AS (SELECT rowid AS hit_id, bm25(messages_fts) AS score FROM messages_fts"
      " WHERE messages_fts MATCH $2)"
      " SELECT " + message_columns("m") + " FROM hits JOIN messages m ON m.id = hits.hit_id"
      " WHERE " + search_filter_sql() + " ORDER BY hits.score, m.id DESC LIMIT $4 OFFSET $5");
  return sql;
}

}  // namespace

Result<std::vector<domain::Message>> SqliteSession::search_messages(UserId reader, const domain::SearchQuery& query,
                                                                    std::optional<RoomId> room, int offset,
                                                                    int limit) {
  // SQLite reads a negative LIMIT as "no limit"; and a query of no words would be an FTS5 error.
  if (limit <= 0 || query.words.empty()) return std::vector<domain::Message>();
  PARLEY_TRY(statement, connection_->prepare(search_sql()));
  statement.bind_all(reader, fts5_match(query), room ? room->value : std::int64_t{0}, limit, offset);
  return fetch_all(statement, [](const Statement& row) { return read_message(row, 0); });
}

}  // namespace parley::store::sqlite
