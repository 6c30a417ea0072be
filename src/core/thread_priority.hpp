#pragma once
// Lowers the calling thread's scheduling priority. The threads that answer clients share their
// cores with the threads that do bulk work (the store's writer); a lower priority for the bulk
// work lets a woken client thread take the core at once, instead of waiting for the writer's
// time slice to end while a frame it has to send sits ready.
namespace parley::core {

// `niceness` as nice(1) counts it, 1 (a little lower) to 19 (lowest). Lowering needs no
// privilege; a failure is ignored, as it changes only how soon, never what, the thread does.
void lower_this_thread_priority(int niceness) noexcept;

}  // namespace parley::core
