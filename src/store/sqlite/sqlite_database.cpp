#include "store/sqlite/sqlite_database.hpp"

#include <type_traits>

namespace parley::store::sqlite {
namespace {

class StatementRow final : public SqlRow {
 public:
  explicit StatementRow(const Statement& statement) : statement_(statement) {}
  bool is_null(int c) const override { return statement_.is_null(c); }
  std::int64_t int64(int c) const override { return statement_.int64(c); }
  std::optional<std::int64_t> optional_int64(int c) const override { return statement_.optional_int64(c); }
  std::string text(int c) const override { return statement_.text(c); }
  std::optional<std::string> optional_text(int c) const override { return statement_.optional_text(c); }

 private:
  const Statement& statement_;
};

}  // namespace

Result<void> SqliteDatabase::run(std::string_view sql, std::span<const SqlValue> params, const RowVisitor& visit) {
  // The connection caches prepared statements by their text: the translation is made per run,
  // the compilation once.
  PARLEY_TRY(statement, connection_.prepare(sqlite_placeholders(sql)));
  int index = 1;
  for (const auto& value : params) {
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>)
            statement.bind(index, std::nullopt);
          else
            statement.bind(index, v);
        },
        value);
    ++index;
  }
  const StatementRow row(statement);
  for (;;) {
    PARLEY_TRY(has_row, statement.step());
    if (!has_row) return {};
    PARLEY_CHECK(visit(row));
  }
}

}  // namespace parley::store::sqlite
