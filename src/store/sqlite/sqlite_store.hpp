#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace parley::store {

struct SqliteOptions {
  std::string path;  // the database file; its directory must exist
  // true: every commit reaches the disk before it returns (WAL, synchronous=FULL), so an
  // acknowledged message survives power loss. false: synchronous=NORMAL, which survives a
  // process crash but may lose the last commits on power loss, for those who choose speed.
  bool durable = true;
  // The write-ahead log's length, in pages, from which it is copied back into the database
  // file, on a thread of its own rather than inside a commit (unless that thread falls far
  // behind). SQLite's own default.
  int checkpoint_pages = 1000;
};

[[nodiscard]] std::unique_ptr<Store> make_sqlite_store(const SqliteOptions& options);

// Heap bytes SQLite holds in this process (page caches, prepared statements).
[[nodiscard]] std::int64_t sqlite_heap_bytes();

}  // namespace parley::store
