#include "sqlite/connection.hpp"

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>

namespace parley::sqlite {
namespace {

// How long a writer waits for another connection's write lock before giving up. Writes are
// short (one batch of a group commit), so 5 s means something is stuck, not merely busy.
constexpr int kBusyTimeoutMs = 5000;
// Page cache per connection, in KiB (a negative cache_size is KiB, not pages). The server keeps
// a handful of connections; 16 MiB each keeps the hot rooms' recent messages in memory.
constexpr int kCacheKib = 16 * 1024;

}  // namespace

Error error_from_sqlite(sqlite3* db, int result_code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(result_code);
  switch (result_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error{ErrorCode::conflict, std::move(message)};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error{ErrorCode::not_found, std::move(message)};
    default:
      break;
  }
  switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::unavailable, std::move(message)};
    default:
      return Error{ErrorCode::internal, std::move(message)};
  }
}

// --- Statement ---------------------------------------------------------------------------------

Statement::Statement(Connection& connection, sqlite3_stmt* stmt, bool* in_use, bool owned)
    : connection_(&connection), stmt_(stmt), in_use_(in_use), owned_(owned) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(other.owned_),
      bind_error_(other.bind_error_),
      bind_error_index_(other.bind_error_index_) {}

Statement::~Statement() {
  if (!stmt_) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_) *in_use_ = false;
}

void Statement::record_bind(int result_code, int index) {
  if (result_code != SQLITE_OK && bind_error_ == 0) {
    bind_error_ = result_code;
    bind_error_index_ = index;
  }
}

void Statement::bind(int index, std::int64_t value) { record_bind(sqlite3_bind_int64(stmt_, index, value), index); }

void Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies the text: callers pass temporaries, and the copy is cheap next to
  // the statement itself.
  record_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
}

void Statement::bind(int index, std::nullopt_t) { record_bind(sqlite3_bind_null(stmt_, index), index); }

Result<bool> Statement::step() {
  if (bind_error_ != 0)
    return std::unexpected(connection_->error(
        bind_error_, "binding parameter " + std::to_string(bind_error_index_) + " of: " + sqlite3_sql(stmt_)));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(connection_->error(rc, sqlite3_sql(stmt_)));
}

Result<void> Statement::run() {
  for (;;) {
    PARLEY_TRY(has_row, step());
    if (!has_row) return {};
  }
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::string Statement::text(int column) const {
  // The pointer first, then the size: that order is what SQLite documents as safe.
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!data) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

// --- Connection --------------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::open(const Options& options) {
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (see StoreSession), so SQLite's own
  // per-connection mutex would be pure overhead.
  int rc = sqlite3_open_v2(options.path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Error error = error_from_sqlite(db, rc, "opening " + options.path);
    sqlite3_close_v2(db);  // a failed open may still have allocated a handle
    return std::unexpected(std::move(error));
  }
  // Extended codes tell a UNIQUE violation from a FOREIGN KEY one.
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> connection(new Connection(db));
  PARLEY_CHECK(connection->configure(options));
  return connection;
}

Result<void> Connection::configure(const Options& options) {
  // The busy timeout first, so that the journal-mode switch below waits for other connections.
  if (int rc = sqlite3_busy_timeout(db_, kBusyTimeoutMs); rc != SQLITE_OK)
    return std::unexpected(error(rc, "setting the busy timeout"));

  // WAL: readers never block the writer and the writer never blocks readers, and a commit is
  // one append plus one sync. The mode is stored in the file; asking again is a no-op.
  PARLEY_CHECK(use_write_ahead_log(options.path));

  // FULL syncs the WAL on every commit, which is what lets an acknowledged message survive
  // power loss; NORMAL syncs only at checkpoints and survives a process crash only.
  const std::string pragmas = std::string("PRAGMA synchronous=") + (options.durable ? "FULL" : "NORMAL") +
                              ";PRAGMA foreign_keys=ON;PRAGMA cache_size=-" + std::to_string(kCacheKib) +
                              ";PRAGMA temp_store=MEMORY;";
  return execute(pragmas.c_str());
}

Result<void> Connection::use_write_ahead_log(const std::string& path) {
  // Switching a new database to WAL takes an exclusive lock, and SQLite answers "locked" at
  // once, without its busy handler, when another connection holds the file meanwhile (several
  // nodes starting against one new database). That is retried for as long as a busy wait lasts.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  while (true) {
    PARLEY_TRY(mode, prepare("PRAGMA journal_mode=WAL"));
    auto has_row = mode.step();
    if (!has_row && has_row.error().code == ErrorCode::unavailable && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (!has_row) return std::unexpected(has_row.error());
    if (!*has_row || mode.text(0) != "wal")
      return fail(ErrorCode::internal, "the database at " + path + " cannot use write-ahead logging");
    return {};
  }
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  // close_v2 also rolls back a transaction left open by a caller that gave up on it.
  sqlite3_close_v2(db_);
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found != cache_.end() && !found->second.in_use) {
    found->second.in_use = true;
    return Statement(*this, found->second.stmt, &found->second.in_use, false);
  }
  const bool cache_it = found == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), cache_it ? SQLITE_PREPARE_PERSISTENT : 0,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return std::unexpected(error(rc, "preparing: " + std::string(sql)));
  }
  if (!cache_it) return Statement(*this, stmt, nullptr, true);
  auto [inserted, unused] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
  return Statement(*this, stmt, &inserted->second.in_use, false);
}

Result<void> Connection::execute(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return {};
  // A migration script is long: its first line or so is enough to tell which one failed.
  constexpr std::size_t kContextChars = 120;
  return std::unexpected(error(rc, std::string_view(sql).substr(0, kContextChars)));
}

void Connection::execute_quietly(const char* sql) noexcept { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

void Connection::on_commit(std::function<void(int)> hook) {
  commit_hook_ = std::move(hook);
  // A WAL hook replaces the automatic checkpoint, which SQLite installs as a hook of its own.
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int wal_pages) {
        static_cast<Connection*>(self)->commit_hook_(wal_pages);
        return SQLITE_OK;
      },
      this);
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

bool Connection::in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

Error Connection::error(int result_code, std::string_view context) const {
  return error_from_sqlite(db_, result_code, context);
}

}  // namespace parley::sqlite
