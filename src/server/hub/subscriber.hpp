#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/ids.hpp"

namespace parley::hub {

using Frame = std::shared_ptr<const std::string>;

// One live connection of a user, as the hub sees it.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  [[nodiscard]] virtual std::uint64_t connection_id() const = 0;
  [[nodiscard]] virtual UserId user_id() const = 0;
  // Thread-safe and never blocks: queues the frame for the connection's own thread.
  virtual void deliver(Frame frame) = 0;
  // The node is stopping: send what is queued, then close, telling the client to go elsewhere.
  virtual void go_away() = 0;
  // The login `login_tag` (core/login_tag.hpp) ended: a connection opened with it
  // closes, telling the client to sign in again. Thread-safe; others ignore it.
  virtual void end_login(std::uint32_t login_tag) = 0;
};

}  // namespace parley::hub
