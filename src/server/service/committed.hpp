#pragma once
// What a write job hands back: the reply, and the events to publish once it has committed.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "server/service/event_publisher.hpp"
#include "server/service/integration_event.hpp"

namespace parley::service {

// A service operation's completion: runs once, on a service thread.
template <class T>
using Done = std::function<void(Result<T>)>;

// Events recorded inside a transaction, published in the recorded order after the commit:
// nobody hears of a change that could still roll back.
class PendingEvents {
 public:
  void message(domain::Message m, std::uint64_t skip_connection = 0) {
    auto shared = std::make_shared<const domain::Message>(std::move(m));
    messages_.push_back(shared);
    steps_.push_back([shared, skip_connection](EventPublisher& p) { p.message(*shared, skip_connection); });
  }
  // `since_seq`: the last seq before the join; the joiner gets the room's messages after it live.
  void joined(UserId user, domain::RoomSummary room, Seq since_seq, std::uint64_t skip_connection = 0) {
    steps_.push_back(
        [=, room = std::move(room)](EventPublisher& p) { p.joined(user, room, since_seq, skip_connection); });
  }
  void left(UserId user, RoomId room, std::string reason) {
    steps_.push_back([=, reason = std::move(reason)](EventPublisher& p) { p.left(user, room, reason); });
  }
  void room_updated(domain::Room room, std::int64_t member_count) {
    steps_.push_back([room = std::move(room), member_count](EventPublisher& p) { p.room_updated(room, member_count); });
  }
  void receipt(domain::Member member, ReceiptAudience audience, std::uint64_t skip_connection) {
    steps_.push_back([=](EventPublisher& p) { p.receipt(member, audience, skip_connection); });
  }
  void unread(domain::Member member, std::int64_t unread_count, std::uint64_t skip_connection) {
    steps_.push_back([=](EventPublisher& p) { p.unread(member, unread_count, skip_connection); });
  }
  void login_ended(UserId user, std::string login) {
    steps_.push_back([=, login = std::move(login)](EventPublisher& p) { p.login_ended(user, login); });
  }
  // An event for the app's backend that no message tells of (a new user, a new room).
  void integration(IntegrationEvent event) { integration_.push_back(std::move(event)); }
  void publish(EventPublisher& publisher) const {
    for (const auto& step : steps_) step(publisher);
    if (outbox_written_ != 0) publisher.outbox_written(outbox_written_);
  }

  // What the outbox records inside the transaction (EventPublisher::record_in_outbox).
  [[nodiscard]] const std::vector<std::shared_ptr<const domain::Message>>& messages() const { return messages_; }
  [[nodiscard]] const std::vector<IntegrationEvent>& integration() const { return integration_; }
  void mark_outbox_written(unsigned recorder) { outbox_written_ |= 1u << recorder; }

 private:
  std::vector<std::function<void(EventPublisher&)>> steps_;
  std::vector<std::shared_ptr<const domain::Message>> messages_;
  std::vector<IntegrationEvent> integration_;
  std::uint32_t outbox_written_ = 0;  // a bit per recorder that wrote (EventPublisher::outbox_written)
};

template <class T>
struct Committed {
  T reply;
  PendingEvents events;
};

}  // namespace parley::service
