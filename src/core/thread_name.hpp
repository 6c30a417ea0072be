#pragma once
// Names the calling thread, as top -H, perf and gdb show it, so that a profile tells the
// writer from the I/O threads. Linux keeps at most 15 characters.
namespace parley::core {

void name_this_thread(const char* name) noexcept;

}  // namespace parley::core
