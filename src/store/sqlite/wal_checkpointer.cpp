#include "store/sqlite/wal_checkpointer.hpp"

#include <sqlite3.h>

#include <utility>

#include "core/thread_name.hpp"

namespace parley::store::sqlite {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const Connection::Options& options,
                                                                 int limit_pages) {
  PARLEY_TRY(db, Connection::open(options));
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(db), limit_pages));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<Connection> db, int limit_pages)
    : db_(std::move(db)), limit_pages_(limit_pages), thread_([this](std::stop_token stop) { run(stop); }) {}

void WalCheckpointer::watch(Connection& connection) {
  connection.on_commit([requests = requests_, limit = limit_pages_](int wal_pages) {
    if (wal_pages < limit) return;
    {
      std::lock_guard lock(requests->mutex);
      requests->asked = true;
    }
    requests->wake.notify_one();
  });
}

void WalCheckpointer::run(const std::stop_token& stop) {
  core::name_this_thread("parley-ckpt");
  while (true) {
    {
      std::unique_lock lock(requests_->mutex);
      if (!requests_->wake.wait(lock, stop, [this] { return requests_->asked; })) return;
      requests_->asked = false;
    }
    // PASSIVE waits for nobody: it copies the pages no reader still needs and leaves the rest,
    // and the next commit past the limit asks again. A failure (another process checkpointing
    // the same file, a full disk) leaves the log longer, which is safe: the log is durable,
    // and the next request retries.
    sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

}  // namespace parley::store::sqlite
