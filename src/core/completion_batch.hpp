#pragma once
// A stretch of one thread's work that runs many completions in a row, such as the replies and
// events of one group commit. Code that does better with many items at once than one at a time
// (a connection's outgoing frames: one write for several) holds its items while a batch is open
// on its thread, and lets them go when the batch closes.
//
// Batches nest; only the outermost one's close releases what is held. Whoever holds items
// bounds them itself and may release them early (see gateway/held_deliveries).
namespace parley::core {

class CompletionBatch {
 public:
  using Release = void (*)();

  CompletionBatch() noexcept;
  ~CompletionBatch();
  CompletionBatch(const CompletionBatch&) = delete;
  CompletionBatch& operator=(const CompletionBatch&) = delete;

  [[nodiscard]] static bool is_open() noexcept;
  // `release` runs when this thread's outermost batch closes. Asking again for the same
  // function in the same batch changes nothing.
  static void release_at_close(Release release);
};

}  // namespace parley::core
