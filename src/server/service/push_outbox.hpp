#pragma once
// Push's side of the outbox (docs/push.md). Inside a message's transaction, one delivery of kind
// `push` per message that may notify anyone: a few bytes, whatever the room's size. Who is
// notified, on which targets and with what is worked out later, off the message path, when the
// `push` delivery is expanded (PushFanout) into one `push_target` delivery per target. A room's
// `push` delivery still waiting when the room's next message commits takes that message instead.
//
// While no push target exists at all, nothing is written: a deployment without push pays one
// atomic load per transaction. A node that has seen no target looks at the store again at most
// once per kRecheckEvery, since another node may have registered one.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "domain/message.hpp"
#include "server/service/outbox_recorder.hpp"
#include "server/service/push_targets_service.hpp"

namespace parley::service {

// The first characters of a message a notification shows, or a fixed phrase for what has no
// text to show (a photo, a file).
inline constexpr std::size_t kPushBodyMaxChars = 100;
[[nodiscard]] std::string push_body(const domain::Message& message);

class PushOutbox final : public OutboxRecorder {
 public:
  // One per committed message: expanded by PushFanout. target and order_key are the room's id,
  // so that a room's messages are expanded one after another, in order.
  static constexpr std::string_view kKind = "push";
  static constexpr auto kRecheckEvery = std::chrono::seconds(1);

  explicit PushOutbox(PushInUse& in_use) : in_use_(in_use) {}

  // System messages notify nobody: they tell of the room's own life (a member added, a rename),
  // which the member sees when they next open the app.
  [[nodiscard]] Result<std::size_t> record(store::StoreSession& session, const PendingEvents& events) override;
  void on_written(std::function<void()> wake) { wake_ = std::move(wake); }
  void written() const override {
    if (wake_) wake_();
  }

 private:
  [[nodiscard]] Result<bool> in_use(store::StoreSession& session);

  PushInUse& in_use_;
  std::function<void()> wake_;
  // The writer's alone (record runs on the writer thread only).
  std::chrono::steady_clock::time_point next_check_{};
};

}  // namespace parley::service
