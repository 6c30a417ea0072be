#include "server/service/stream_repair.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>
#include <unordered_map>

#include "core/metrics.hpp"
#include "core/thread_name.hpp"
#include "protocol/frames.hpp"
#include "server/service/event_publisher.hpp"
#include "server/service/message_events.hpp"

namespace parley::service {

using Clock = LiveRooms::Clock;

StreamRepair::StreamRepair(std::unique_ptr<store::StoreSession> session, LiveRooms& rooms, Options options)
    : session_(std::move(session)), rooms_(rooms), options_(std::move(options)) {
  thread_ = std::thread([this] {
    core::name_this_thread("parley-repair");
    run();
  });
}

StreamRepair::~StreamRepair() { stop(); }

void StreamRepair::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StreamRepair::gap_opened() {
  std::lock_guard lock(mutex_);
  if (watching_gaps_) return;
  watching_gaps_ = true;
  next_gap_check_ = Clock::now() + options_.gap_hold;
  wake_.notify_all();
}

void StreamRepair::trouble(std::string_view why) {
  metrics::server().bus_troubles.add();
  spdlog::warn("bus: {}; bringing every room up to the store", why);
  std::lock_guard lock(mutex_);
  troubled_ = true;
  wake_.notify_all();
}

void StreamRepair::run() {
  auto next_check = Clock::now() + options_.check_interval;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = Clock::now();
    if (troubled_) {
      troubled_ = false;
      lock.unlock();
      const bool reconciled = reconcile_memberships();
      catch_up_rooms();
      lock.lock();
      // The store could not be read: try again at the next check, not at once.
      if (!reconciled) troubled_ = true;
      next_check = Clock::now() + options_.check_interval;
      if (!reconciled) {
        wake_.wait_until(lock, next_check, [this] { return stopping_; });
      }
      continue;
    }
    if (watching_gaps_ && now >= next_gap_check_) {
      lock.unlock();
      const bool still_holding = fill_due_gaps();
      lock.lock();
      next_gap_check_ = Clock::now() + options_.gap_hold;
      watching_gaps_ = still_holding;
      continue;
    }
    if (now >= next_check) {
      lock.unlock();
      if (options_.check_store) catch_up_rooms();
      if (options_.on_tick) options_.on_tick(*session_);
      lock.lock();
      next_check = Clock::now() + options_.check_interval;
      continue;
    }
    auto until = watching_gaps_ ? std::min(next_check, next_gap_check_) : next_check;
    wake_.wait_until(lock, until);
  }
}

bool StreamRepair::fill_due_gaps() {
  for (const auto& gap : rooms_.gaps_due(Clock::now() - options_.gap_hold))
    if (!deliver_from_store(gap.room, gap.last_seq, 0)) break;
  return rooms_.holding();
}

void StreamRepair::catch_up_rooms() {
  std::vector<domain::RoomHead> positions = rooms_.positions();
  std::unordered_map<RoomId, Seq> delivered;
  std::vector<RoomId> ids;
  for (const auto& p : positions) {
    delivered.emplace(p.room, p.last_seq);
    ids.push_back(p.room);
  }
  for (std::size_t first = 0; first < ids.size(); first += kHeadsBatch) {
    const auto count = std::min(kHeadsBatch, ids.size() - first);
    auto heads = session_->list_room_heads(std::span<const RoomId>(ids).subspan(first, count));
    if (!heads) {
      spdlog::debug("repair: cannot read the rooms' last seqs: {}", heads.error().message);
      return;
    }
    for (const auto& head : *heads) {
      const Seq here = delivered[head.room];
      // A room not started yet (-1) takes its start from its first message, not from the store.
      if (here >= 0 && head.last_seq > here && !deliver_from_store(head.room, here, head.last_seq)) return;
    }
  }
}

bool StreamRepair::deliver_from_store(RoomId room, Seq after, Seq until) {
  for (;;) {
    auto messages = session_->list_messages_after(room, after, kReadBatch);
    if (!messages) {
      spdlog::debug("repair: cannot read room {} after seq {}: {}", room.value, after, messages.error().message);
      return false;
    }
    // As the bus would have carried it: a reply with its preview. Not its reactions: a live
    // message is as committed, and the events after it are repaired too, to be applied once.
    if (auto previews = add_reply_previews(*session_, room, *messages); !previews) {
      spdlog::debug("repair: cannot read the replies' originals in room {}: {}", room.value, previews.error().message);
      return false;
    }
    for (const auto& message : *messages) {
      // Delivered through the room's stream, which drops what arrived by the bus meanwhile.
      rooms_.on_event(message_event(message));
      metrics::server().stream_repaired.add();
      after = message.seq;
    }
    if (until <= 0 || after >= until || static_cast<int>(messages->size()) < kReadBatch) return true;
  }
}

bool StreamRepair::reconcile_memberships() {
  const auto frame = std::make_shared<const std::string>(protocol::encode_event("sync.required", {}));
  for (UserId user : rooms_.users()) {
    auto heads = session_->list_room_heads_for_user(user);
    if (!heads) {
      spdlog::debug("repair: cannot read the rooms of user {}: {}", user.value, heads.error().message);
      return false;
    }
    rooms_.reconcile(user, *heads);
    bus::Event hint;
    hint.audience = bus::Event::Audience::user;
    hint.target = user.value;
    hint.frame = frame;
    rooms_.on_event(hint);
  }
  return true;
}

}  // namespace parley::service
