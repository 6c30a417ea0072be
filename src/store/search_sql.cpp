#include "store/search_sql.hpp"

#include <string_view>

namespace parley::store {

const std::string& search_filter_sql() {
  static const std::string sql =
      "m.type IN ('text', 'image', 'file', 'audio', 'video') AND m.deleted_at IS NULL"
      " AND m.room_id IN (SELECT room_id FROM members WHERE user_id = $1)"
      " AND (CAST($3 AS BIGINT) = 0 OR m.room_id = $3)";
  return sql;
}

namespace {

// Each word between `open` and `close`, with `separator` between them.
std::string each_word(const domain::SearchQuery& query, std::string_view open, std::string_view close,
                      std::string_view separator) {
  std::string out;
  for (const auto& word : query.words) {
    if (!out.empty()) out += separator;
    out.append(open).append(word).append(close);
  }
  return out;
}

}  // namespace

std::string fts5_match(const domain::SearchQuery& query) { return each_word(query, "\"", "\"*", " "); }

std::string tsquery_text(const domain::SearchQuery& query) { return each_word(query, "'", "':*", " & "); }

}  // namespace parley::store
