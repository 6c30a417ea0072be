#pragma once
// SQLite's heap, counted without a lock.
//
// SQLite keeps its own count of the memory it holds (sqlite3_memory_used) under one mutex of
// the process, which every allocation and every free takes: in the server's writer, whose
// connection allocates and frees for each row it writes, locking and unlocking it was 9% of the
// store's time per message (parley-bench writer-floor under perf). This allocator is glibc's
// malloc with each block's size in a header and the total in an atomic counter, so the figure
// stays exact and no allocation waits for another thread's.
//
// Installing it changes SQLite for the whole process, so only the server's store does it
// (make_sqlite_store); the SDK, which lives in an app's process beside the app's own use of
// SQLite, leaves SQLite as it finds it.
#include <cstdint>

namespace parley::sqlite {

// Installs the counting allocator and turns SQLite's own locked count off. Only possible before
// SQLite's first use in the process; later calls, and a call after SQLite is in use, change
// nothing. Returns whether the counting allocator is the one in use.
bool count_heap_without_lock();

// The bytes SQLite holds: from the counting allocator when it is in use, else SQLite's own count.
[[nodiscard]] std::int64_t heap_bytes();

}  // namespace parley::sqlite
