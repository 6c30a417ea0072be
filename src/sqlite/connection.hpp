#pragma once
// An owning sqlite3* with a cache of prepared statements, and a borrowed statement with
// bind/step/column helpers. Every SQLite failure comes out as a parley::Error; nothing throws.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"
#include "core/ids.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace parley::sqlite {

// The codes a SQLite failure becomes:
//   a UNIQUE or PRIMARY KEY violation -> conflict (callers refine it, e.g. username_taken),
//   a FOREIGN KEY violation           -> not_found (the row refers to a room or user that does not exist),
//   the lock still held after the busy timeout -> unavailable (retry later),
//   anything else                     -> internal.
[[nodiscard]] Error error_from_sqlite(sqlite3* db, int result_code, std::string_view context);

class Connection;

// A prepared statement borrowed from a Connection for one execution. Parameters are numbered
// from 1 as in the SQL (?1, ?2, ...). Giving it back (destruction) resets it, so that the next
// borrower starts clean and no half-stepped statement holds a lock or blocks a COMMIT.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds the arguments to ?1, ?2, ... in order. A bind failure is reported by the next step().
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 1;
    (bind(index++, args), ...);
    return *this;
  }
  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, std::nullopt_t);
  template <class Tag>
  void bind(int index, Id<Tag> id) {
    bind(index, id.value);
  }
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value)
      bind(index, *value);
    else
      bind(index, std::nullopt);
  }

  // true: a row is ready to be read; false: the statement has finished.
  [[nodiscard]] Result<bool> step();
  // Runs a statement that returns no rows (or whose rows are not wanted) to completion.
  [[nodiscard]] Result<void> run();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int column) const;
  [[nodiscard]] std::string text(int column) const;  // NULL reads as ""
  [[nodiscard]] std::optional<std::string> optional_text(int column) const;

 private:
  friend class Connection;
  // `owned`: a one-off statement to finalize on destruction instead of returning to the cache.
  Statement(Connection& connection, sqlite3_stmt* stmt, bool* in_use, bool owned);
  void record_bind(int result_code, int index);

  Connection* connection_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag, cleared when given back; null when owned
  bool owned_;
  int bind_error_ = 0;  // the first failed bind, reported by step()
  int bind_error_index_ = 0;
};

class Connection {
 public:
  struct Options {
    std::string path;
    bool durable = true;  // synchronous=FULL, else NORMAL
  };

  // Opens (creating if needed) and configures the database: WAL, synchronous, foreign keys,
  // busy timeout, page cache.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> open(const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A prepared statement for `sql`, compiled once per connection and reused afterwards: the
  // same few statements run for every message, and compiling costs more than running them.
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  // Runs one or more statements that return nothing (transaction control, migration scripts).
  [[nodiscard]] Result<void> execute(const char* sql);
  // Runs `sql`, ignoring the outcome: for the paths that must not fail (rollback, close).
  void execute_quietly(const char* sql) noexcept;

  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;  // rows changed by the last INSERT, UPDATE or DELETE
  [[nodiscard]] bool in_transaction() const noexcept;
  [[nodiscard]] Error error(int result_code, std::string_view context) const;
  [[nodiscard]] sqlite3* handle() const { return db_; }

  // After each commit, calls `hook` with the write-ahead log's length in pages, and stops
  // SQLite checkpointing inside the committing call: for an owner that checkpoints elsewhere.
  void on_commit(std::function<void(int wal_pages)> hook);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  [[nodiscard]] Result<void> configure(const Options& options);
  [[nodiscard]] Result<void> use_write_ahead_log(const std::string& path);

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    // Set while borrowed. A second borrow of the same SQL meanwhile (a query run while another
    // of the same text is still being read) gets its own one-off statement instead.
    bool in_use = false;
  };
  // Looked up by string_view, so that finding a cached statement allocates nothing.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept { return std::hash<std::string_view>{}(sql); }
  };
  sqlite3* db_;
  std::function<void(int)> commit_hook_;
  std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> cache_;
};

}  // namespace parley::sqlite
