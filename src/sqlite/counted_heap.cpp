#include "sqlite/counted_heap.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <mutex>

namespace parley::sqlite {
namespace {

// Each block starts with its size; the header is as large as malloc's alignment, so that the
// block SQLite gets keeps that alignment.
constexpr std::size_t kHeaderBytes = alignof(std::max_align_t);

std::atomic<std::int64_t> held_bytes{0};
std::atomic<bool> installed{false};  // read by whoever reports the heap, on any thread

std::int64_t& size_of_block(void* block) { return *static_cast<std::int64_t*>(block); }

void* header_of(void* p) { return static_cast<char*>(p) - kHeaderBytes; }

void* counted_malloc(int bytes) {
  if (bytes <= 0) return nullptr;
  void* block = std::malloc(kHeaderBytes + static_cast<std::size_t>(bytes));
  if (!block) return nullptr;
  size_of_block(block) = bytes;
  held_bytes.fetch_add(bytes, std::memory_order_relaxed);
  return static_cast<char*>(block) + kHeaderBytes;
}

void counted_free(void* p) {
  if (!p) return;
  void* block = header_of(p);
  held_bytes.fetch_sub(size_of_block(block), std::memory_order_relaxed);
  std::free(block);
}

void* counted_realloc(void* p, int bytes) {
  if (!p) return counted_malloc(bytes);
  if (bytes <= 0) return nullptr;  // SQLite never asks for this; the old block stays its own
  void* old_block = header_of(p);
  const std::int64_t old_bytes = size_of_block(old_block);
  void* block = std::realloc(old_block, kHeaderBytes + static_cast<std::size_t>(bytes));
  if (!block) return nullptr;  // the old block is untouched, as SQLite expects
  size_of_block(block) = bytes;
  held_bytes.fetch_add(bytes - old_bytes, std::memory_order_relaxed);
  return static_cast<char*>(block) + kHeaderBytes;
}

int counted_size(void* p) { return p ? static_cast<int>(size_of_block(header_of(p))) : 0; }

// SQLite asks for a request's size once rounded, and rounds to 8 bytes itself.
int rounded_up(int bytes) { return (bytes + 7) & ~7; }

int nothing_to_start(void*) { return SQLITE_OK; }
void nothing_to_stop(void*) {}

}  // namespace

bool count_heap_without_lock() {
  static std::once_flag once;
  std::call_once(once, [] {
    static const sqlite3_mem_methods methods{counted_malloc, counted_free,     counted_realloc, counted_size,
                                             rounded_up,     nothing_to_start, nothing_to_stop, nullptr};
    // Both refuse with SQLITE_MISUSE once SQLite is initialized: then it keeps its own.
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) return;
    installed.store(true);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  return installed.load();
}

std::int64_t heap_bytes() {
  return installed.load() ? held_bytes.load(std::memory_order_relaxed) : sqlite3_memory_used();
}

}  // namespace parley::sqlite
