#pragma once
// Expands a message's `push` delivery (PushOutbox) into one `push_target` delivery per target
// to notify, off the message path; the expansion and the `push` delivery's end commit together,
// so that a crash between them neither loses nor doubles a notification.
//
// Who is notified: each member of the room but the sender who has no device connected to any
// node (presence), has not muted the room, and has targets. What each gets: the room, the
// sender's id and name, the message's id and seq, its body (push_body) unless the member chose
// to hide message text (push_text), and as badge the member's unread count in that room.
//
// Coalescing: a new notification for a target and room replaces the one still waiting for that
// target and room (not yet under way), which takes the new content in place: a phone shows the
// newest, and a gateway that is down gets one notification per room when it is back, not the
// whole burst.
#include "server/service/delivery_worker.hpp"
#include "server/service/presence_service.hpp"
#include "server/service/read_pool.hpp"

namespace parley::service {

class PushFanout final : public DeliverySender {
 public:
  // One per target notified (PushSender sends it). target: the target's id; order_key: the
  // room's id, so that a target's notifications of a room go one after another.
  static constexpr std::string_view kTargetKind = "push_target";

  // `written`: wakes the push_target worker once new deliveries committed.
  PushFanout(ReadPool& reads, PresenceService& presence, std::function<void()> written)
      : reads_(reads), presence_(presence), written_(std::move(written)) {}

  [[nodiscard]] std::string_view kind() const override;
  void attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) override;

 private:
  ReadPool& reads_;
  PresenceService& presence_;
  std::function<void()> written_;
};

}  // namespace parley::service
