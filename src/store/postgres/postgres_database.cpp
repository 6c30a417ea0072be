#include "store/postgres/postgres_database.hpp"

#include <type_traits>

namespace parley::store::postgres {
namespace {

class ResultRow final : public SqlRow {
 public:
  explicit ResultRow(Row row) : row_(row) {}
  bool is_null(int c) const override { return row_.is_null(c); }
  std::int64_t int64(int c) const override { return row_.int64(c); }
  std::optional<std::int64_t> optional_int64(int c) const override { return row_.optional_int64(c); }
  std::string text(int c) const override { return row_.text(c); }
  std::optional<std::string> optional_text(int c) const override { return row_.optional_text(c); }

 private:
  Row row_;
};

}  // namespace

Result<void> PostgresDatabase::run(std::string_view sql, std::span<const SqlValue> params, const RowVisitor& visit) {
  Params bound;
  for (const auto& value : params) {
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>)
            bound.add(std::nullopt);
          else
            bound.add(v);
        },
        value);
  }
  PARLEY_TRY(rows, connection_.query(std::string(sql), bound));
  for (int i = 0; i < rows.size(); ++i) PARLEY_CHECK(visit(ResultRow(Row{&rows, i})));
  return {};
}

}  // namespace parley::store::postgres
