#pragma once
// Copies the write-ahead log back into the database file on a thread of its own. Left to
// itself, SQLite does it inside the commit that takes the log past its limit, and every
// operation queued behind that commit waits for the copy and for the database file's sync.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "core/error.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

class WalCheckpointer {
 public:
  // Opens a connection of its own and starts the thread. `limit_pages`: the log's length from
  // which a commit asks for a checkpoint.
  [[nodiscard]] static Result<std::unique_ptr<WalCheckpointer>> start(const Connection::Options& options,
                                                                      int limit_pages);
  ~WalCheckpointer() = default;  // the thread's stop waits for a checkpoint under way
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // From now on `connection`'s commits ask this thread for checkpoints instead of running them,
  // unless the log has grown far past its limit because the thread fell behind.
  void watch(Connection& connection);

 private:
  // Shared with the watched connections' hooks, which may outlive the checkpointer.
  struct Shared {
    std::mutex mutex;
    std::condition_variable_any wake;
    bool asked = false;
    int asked_at = 0;  // the log's length in frames at the last request
  };

  WalCheckpointer(std::unique_ptr<Connection> db, int limit_pages);
  void run(const std::stop_token& stop);

  std::unique_ptr<Connection> db_;
  int limit_pages_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::jthread thread_;  // last: stopped and joined before the connection closes
};

}  // namespace parley::store::sqlite
