#pragma once
// An owning PGconn with a cache of prepared statements, and an owning PGresult with typed
// column readers. Every PostgreSQL failure comes out as a parley::Error; nothing throws.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"

struct pg_conn;
struct pg_result;

namespace parley::store::postgres {

// The codes a PostgreSQL failure becomes, as the SQLite backend maps its own:
//   23505 unique_violation                   -> conflict (callers refine it, e.g. username_taken),
//   23503 foreign_key_violation              -> not_found (the row refers to a room or user that does not exist),
//   40001, 40P01, 55P03, class 08, 57P01..03 -> unavailable (serialization failure, deadlock, lock
//                                               timeout, lost connection, server shutting down: retry later),
//   anything else                            -> internal.
[[nodiscard]] ErrorCode error_code_from_sqlstate(std::string_view sqlstate);

// The parameters of one statement, in text format: $1, $2, ... in order. nullopt is NULL.
class Params {
 public:
  template <class... Args>
  explicit Params(const Args&... args) {
    values_.reserve(sizeof...(args));
    (add(args), ...);
  }
  void add(std::int64_t value) { values_.emplace_back(std::to_string(value)); }
  void add(int value) { add(static_cast<std::int64_t>(value)); }
  void add(bool value) { values_.emplace_back(value ? "true" : "false"); }
  void add(std::string_view value) { values_.emplace_back(std::string(value)); }
  void add(const std::string& value) { values_.emplace_back(value); }
  void add(const char* value) { values_.emplace_back(std::string(value)); }
  void add(std::nullopt_t) { values_.emplace_back(std::nullopt); }
  template <class Tag>
  void add(Id<Tag> id) {
    add(id.value);
  }
  template <class T>
  void add(const std::optional<T>& value) {
    if (value)
      add(*value);
    else
      add(std::nullopt);
  }

  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }
  // The C array libpq reads; valid while this object is neither changed nor destroyed.
  [[nodiscard]] std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// The rows of one statement. Columns are read as text and converted; NULL reads as 0 or "".
class Rows {
 public:
  explicit Rows(pg_result* result) : result_(result) {}
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows();

  [[nodiscard]] int size() const;
  [[nodiscard]] std::int64_t affected() const;  // rows changed by an INSERT, UPDATE or DELETE
  [[nodiscard]] std::string command_tag() const;  // "COMMIT", "ROLLBACK", "INSERT 0 1", ...
  [[nodiscard]] bool is_null(int row, int column) const;
  [[nodiscard]] std::int64_t int64(int row, int column) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int row, int column) const;
  [[nodiscard]] bool boolean(int row, int column) const;
  [[nodiscard]] std::string text(int row, int column) const;
  [[nodiscard]] std::optional<std::string> optional_text(int row, int column) const;

 private:
  pg_result* result_;
};

// One row of Rows, as the row readers take it.
struct Row {
  const Rows* rows;
  int index;
  [[nodiscard]] bool is_null(int c) const { return rows->is_null(index, c); }
  [[nodiscard]] std::int64_t int64(int c) const { return rows->int64(index, c); }
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int c) const { return rows->optional_int64(index, c); }
  [[nodiscard]] bool boolean(int c) const { return rows->boolean(index, c); }
  [[nodiscard]] std::string text(int c) const { return rows->text(index, c); }
  [[nodiscard]] std::optional<std::string> optional_text(int c) const { return rows->optional_text(index, c); }
};

class Connection {
 public:
  enum class Transaction { idle, active, failed };

  // Connects with a libpq connection string: "postgresql://user@host:5432/db" or "host=... dbname=...".
  [[nodiscard]] static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` with `params` as a statement prepared once per connection and reused: the same
  // few statements run for every message, and planning costs more than running them.
  [[nodiscard]] Result<Rows> query(const std::string& sql, const Params& params = Params());
  // Runs one or more statements without parameters (transaction control, migration scripts).
  [[nodiscard]] Result<Rows> execute(const char* sql);
  // Runs `sql`, ignoring the outcome: for the paths that must not fail (rollback).
  void execute_quietly(const char* sql) noexcept;

  // Queues a statement without parameters (BEGIN, SAVEPOINT, RELEASE...) to go in one round
  // trip with the next statement, through libpq's pipeline mode: a batch of writes then costs
  // one round trip per statement that reads or writes rows, not two more for the savepoints
  // around each. Its error, if any, is the next statement's.
  void defer(std::string sql);
  // Forgets the queued statements: for a rollback, which undoes them anyway.
  void discard_deferred() noexcept { deferred_.clear(); }
  // Whether the last statement queued is `sql` (nothing since has run), and forgets it if so.
  bool take_back_deferred(std::string_view sql) noexcept;

  // As the server has it, a queued BEGIN counting as a transaction begun.
  [[nodiscard]] Transaction transaction() const noexcept;
  [[nodiscard]] bool has_deferred() const noexcept { return !deferred_.empty(); }
  [[nodiscard]] bool broken() const noexcept;

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  // A broken connection (server restart, network) is reset before the next statement; any
  // transaction it had is gone, which commit() notices, and the prepared statements with it.
  void reconnect_if_broken();
  [[nodiscard]] Result<Rows> check(pg_result* result, std::string_view context);
  [[nodiscard]] Result<Rows> run_prepared(const std::string& sql, const Params& params);
  // Sends the deferred statements, then the one `send_statement` sends, and one sync, and reads
  // them all: the statement's rows, or the first error among them.
  [[nodiscard]] Result<Rows> run_pipelined(const std::function<int()>& send_statement);
  // Runs `statement`, and once more on a reopened connection when the connection turns out to
  // be broken and no transaction was open.
  [[nodiscard]] Result<Rows> with_one_retry(const std::function<Result<Rows>()>& statement);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::vector<std::string> deferred_;
};

}  // namespace parley::store::postgres
