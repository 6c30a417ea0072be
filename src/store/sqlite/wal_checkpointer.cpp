#include "store/sqlite/wal_checkpointer.hpp"

#include <sqlite3.h>

#include <utility>

#include "core/thread_name.hpp"

namespace parley::store::sqlite {
namespace {

// The log starts over from its beginning only once every frame in it has been copied, and only
// a writer starts it over: under a steady stream of commits the thread never quite catches up.
// Past this many times its limit, a commit copies the rest itself, as SQLite would.
constexpr int kFallBehindFactor = 8;

void copy_log_into_database(sqlite3* db) {
  // PASSIVE waits for nobody: it copies the frames no reader still needs and leaves the rest
  // for the next request. A failure (another process checkpointing the same file, a full disk)
  // leaves the log longer, which is safe: the log is durable, and the next request retries.
  sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

}  // namespace

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const Connection::Options& options,
                                                                 int limit_pages) {
  PARLEY_TRY(db, Connection::open(options));
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(db), limit_pages));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<Connection> db, int limit_pages)
    : db_(std::move(db)), limit_pages_(limit_pages), thread_([this](std::stop_token stop) { run(stop); }) {}

void WalCheckpointer::watch(Connection& connection) {
  connection.on_commit([&connection, shared = shared_, limit = limit_pages_](int wal_pages) {
    if (wal_pages < limit) return;
    if (wal_pages >= limit * kFallBehindFactor) {
      copy_log_into_database(connection.handle());
      return;
    }
    {
      std::lock_guard lock(shared->mutex);
      // Once per `limit` frames written since the last request, or when the log has started
      // over. Asked at every commit past the limit, the thread copied the few frames of each
      // commit and synced the database file twice for them, and a page written by many commits
      // was copied once for each.
      const bool log_started_over = wal_pages < shared->asked_at;
      if (!log_started_over && wal_pages - shared->asked_at < limit) return;
      shared->asked_at = wal_pages;
      shared->asked = true;
    }
    shared->wake.notify_one();
  });
}

void WalCheckpointer::run(const std::stop_token& stop) {
  core::name_this_thread("parley-ckpt");
  while (true) {
    {
      std::unique_lock lock(shared_->mutex);
      if (!shared_->wake.wait(lock, stop, [this] { return shared_->asked; })) return;
      shared_->asked = false;
    }
    copy_log_into_database(db_->handle());
  }
}

}  // namespace parley::store::sqlite
