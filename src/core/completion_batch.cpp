#include "core/completion_batch.hpp"

#include <algorithm>
#include <vector>

namespace parley::core {
namespace {

struct ThreadBatch {
  int depth = 0;
  std::vector<CompletionBatch::Release> releases;
};

ThreadBatch& this_thread_batch() noexcept {
  static thread_local ThreadBatch batch;
  return batch;
}

}  // namespace

CompletionBatch::CompletionBatch() noexcept { ++this_thread_batch().depth; }

CompletionBatch::~CompletionBatch() {
  auto& batch = this_thread_batch();
  if (--batch.depth > 0) return;
  // The batch is closed before the releases run: what they hand on goes straight out.
  auto releases = std::move(batch.releases);
  batch.releases.clear();
  for (Release release : releases) release();
}

bool CompletionBatch::is_open() noexcept { return this_thread_batch().depth > 0; }

void CompletionBatch::release_at_close(Release release) {
  auto& releases = this_thread_batch().releases;
  if (std::find(releases.begin(), releases.end(), release) == releases.end()) releases.push_back(release);
}

}  // namespace parley::core
