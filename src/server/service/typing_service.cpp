#include "server/service/typing_service.hpp"

#include <vector>

#include "core/thread_name.hpp"

#include "server/service/room_access.hpp"

namespace parley::service {

TypingService::TypingService(ReadPool& reads, EventPublisher& events, std::chrono::milliseconds timeout,
                             KnownMember known_member, Hidden hidden)
    : reads_(reads),
      events_(events),
      timeout_(timeout),
      known_member_(std::move(known_member)),
      hidden_(std::move(hidden)),
      expiry_([this] {
        core::name_this_thread("parley-typing");
        expire_loop();
      }) {}

TypingService::~TypingService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  expiry_.join();
}

void TypingService::start(const Caller& caller, RoomId room, Done<std::monostate> done) {
  const Key key{room, caller.user};
  {
    std::lock_guard lock(mutex_);
    // Already typing there, so already authorized: push the expiry back, say nothing.
    if (auto it = typists_.find(key); it != typists_.end()) {
      it->second = {caller.connection, Clock::now() + timeout_};
      return done(std::monostate{});
    }
  }
  // A keystroke's event should reach the room in well under a millisecond; a trip to the store
  // for a membership this node already knows would be most of that.
  if (known_member_ && known_member_(caller.user, room)) {
    begin(key, caller.connection);
    return done(std::monostate{});
  }
  reads_.submit<std::monostate>(
      [caller, room](store::StoreSession& session) -> Result<std::monostate> {
        PARLEY_CHECK(authorize_room(session, room, caller.user, domain::Action::send_message));
        return std::monostate{};
      },
      [this, key, connection = caller.connection, done = std::move(done)](Result<std::monostate> allowed) {
        if (!allowed) return done(std::move(allowed));
        begin(key, connection);
        done(std::monostate{});
      });
}

void TypingService::begin(const Key& key, std::uint64_t connection) {
  // Answered as a shown start is, so that the typist's client cannot tell either.
  if (hidden_ && hidden_(key.user)) return;
  {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = typists_.insert_or_assign(key, Typist{connection, Clock::now() + timeout_});
    // Events go out under the lock so that a start and a stop reach the room in order.
    if (inserted) events_.typing(key.room, key.user, true);
  }
  wake_.notify_all();
}

void TypingService::stop(const Caller& caller, RoomId room, Done<std::monostate> done) {
  // Only one's own entry can be cleared, so a non-member's stop changes nothing and reveals nothing.
  clear({room, caller.user});
  done(std::monostate{});
}

void TypingService::message_sent(UserId user, RoomId room) { clear({room, user}); }

void TypingService::member_left(UserId user, RoomId room) { clear({room, user}); }

void TypingService::clear(const Key& key) {
  std::lock_guard lock(mutex_);
  if (typists_.erase(key) > 0) events_.typing(key.room, key.user, false);
}

void TypingService::connection_closed(std::uint64_t connection) {
  std::lock_guard lock(mutex_);
  for (auto it = typists_.begin(); it != typists_.end();) {
    if (it->second.connection == connection) {
      events_.typing(it->first.room, it->first.user, false);
      it = typists_.erase(it);
    } else {
      ++it;
    }
  }
}

void TypingService::expire_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = Clock::now();
    auto next = now + std::chrono::hours(1);
    for (auto it = typists_.begin(); it != typists_.end();) {
      if (it->second.expires <= now) {
        events_.typing(it->first.room, it->first.user, false);
        it = typists_.erase(it);
      } else {
        next = std::min(next, it->second.expires);
        ++it;
      }
    }
    wake_.wait_until(lock, next);
  }
}

}  // namespace parley::service
