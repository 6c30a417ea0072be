#include "server/gateway/held_deliveries.hpp"

#include <unordered_map>
#include <vector>

#include "core/completion_batch.hpp"
#include "server/gateway/ws_session.hpp"

namespace parley::gateway::held_deliveries {
namespace {

// Frames held at once on a thread, beyond which they leave before the batch closes: the first
// reply of a batch of a thousand sends to a large room is not kept waiting for the last, and
// the memory held stays small. At this size a burst into a large room still leaves in writes of
// a dozen frames or more.
constexpr std::size_t kMaxHeldFrames = 16'384;

struct ForOneConnection {
  std::shared_ptr<WsSession> session;
  std::vector<hub::Frame> frames;
};

struct Held {
  std::vector<ForOneConnection> connections;
  std::unordered_map<const WsSession*, std::size_t> index;  // into `connections`
  std::size_t frames = 0;
};

Held& this_thread_held() {
  static thread_local Held held;
  return held;
}

void release() {
  auto& held = this_thread_held();
  // Taken out first: delivering may run code that delivers again.
  auto connections = std::move(held.connections);
  held.connections.clear();
  held.index.clear();
  held.frames = 0;
  for (auto& connection : connections) connection.session->deliver_together(connection.frames);
}

}  // namespace

bool hold(WsSession& session, hub::Frame& frame) {
  if (!core::CompletionBatch::is_open()) return false;
  auto& held = this_thread_held();
  if (held.frames == 0) core::CompletionBatch::release_at_close(&release);
  auto [at, added] = held.index.try_emplace(&session, held.connections.size());
  if (added) held.connections.push_back({session.shared_from_this(), {}});
  held.connections[at->second].frames.push_back(std::move(frame));
  if (++held.frames >= kMaxHeldFrames) release();
  return true;
}

}  // namespace parley::gateway::held_deliveries
