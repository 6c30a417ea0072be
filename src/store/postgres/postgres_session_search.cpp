// Message search with PostgreSQL's full-text search over the GIN index of 011_message_search.sql.
#include <string>

#include "store/message_sql.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/postgres_session.hpp"
#include "store/search_sql.hpp"

namespace parley::store::postgres {
namespace {

// $1 reader, $2 the tsquery, $3 room or 0, $4 limit, $5 offset. The document is the index's
// expression, word for word, so that the planner uses the index; ts_rank is higher for a better
// match, and the id breaks ties, so that the order, and with it every page, is the same each time.
const std::string& search_sql() {
  static const std::string document = "to_tsvector('simple', m.text || ' ' || coalesce(m.att_name, ''))";
  static const std::string sql = "SELECT " + message_columns("m") + " FROM messages m, to_tsquery('simple', $2) q" +
                                 " WHERE " + document + " @@ q AND " + search_filter_sql() +
                                 " ORDER BY ts_rank(" + document + ", q) DESC, m.id DESC LIMIT $4 OFFSET $5";
  return sql;
}

}  // namespace

Result<std::vector<domain::Message>> PostgresSession::search_messages(UserId reader,
                                                                      const domain::SearchQuery& query,
                                                                      std::optional<RoomId> room, int offset,
                                                                      int limit) {
  if (limit <= 0 || query.words.empty()) return std::vector<domain::Message>();
  PARLEY_TRY(rows, connection_->query(search_sql(), Params(reader, tsquery_text(query),
                                                           room ? room->value : std::int64_t{0}, limit, offset)));
  return fetch_all(rows, [](const Row& row) { return read_message(row, 0); });
}

}  // namespace parley::store::postgres
