#pragma once
// Message search's SQL, where the backends agree: which rows a reader may find, and a query's
// words in each engine's syntax. The engines' own statements (FTS5's MATCH and bm25, PostgreSQL's
// @@ and ts_rank) are in sqlite_session_search.cpp and postgres_session_search.cpp; the indexes
// they read are made by sqlite/012_message_search.sql and postgres/011_message_search.sql.
#include <string>

#include "domain/message_search.hpp"

namespace parley::store {

// The conditions on a found message `m`, after the engine's match: a content type (never a system
// row or an event), not deleted, in a room the reader ($1) is a member of, and in room $3 unless
// $3 is 0. The index already holds only the first two; they are repeated so that a row the index
// got wrong is still never shown, and so that PostgreSQL sees its partial index's condition.
[[nodiscard]] const std::string& search_filter_sql();

// FTS5: each word a quoted prefix term, all required: "w1"* "w2"*. A word holds no quote
// (domain::SearchQuery), so nothing in it is FTS5 syntax.
[[nodiscard]] std::string fts5_match(const domain::SearchQuery& query);

// PostgreSQL's to_tsquery: 'w1':* & 'w2':*. A word holds no quote or backslash.
[[nodiscard]] std::string tsquery_text(const domain::SearchQuery& query);

}  // namespace parley::store
