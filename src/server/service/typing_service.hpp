#pragma once
// Typing indicators: ephemeral, never stored. A start shows the typist to the room's other
// members until a stop, a message from the typist in that room, the typist's connection going,
// or `timeout` after the last start, whichever comes first. Repeated starts only push the
// expiry back: a client sending start a hundred times a second causes one event.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>

#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"

namespace parley::service {

class TypingService {
 public:
  using Clock = std::chrono::steady_clock;

  // True when this node knows `user` to be a member of `room` without asking the store: the hub
  // keeps the rooms of every user connected here. Any member may type, so a yes authorizes at
  // once; a no (or a user whose rooms are still loading) is checked against the store.
  using KnownMember = std::function<bool(UserId user, RoomId room)>;

  // True when `user` chose to be invisible: their typing is not shown (it would show them online).
  using Hidden = std::function<bool(UserId user)>;

  TypingService(ReadPool& reads, EventPublisher& events, std::chrono::milliseconds timeout,
                KnownMember known_member = {}, Hidden hidden = {});
  ~TypingService();
  TypingService(const TypingService&) = delete;
  TypingService& operator=(const TypingService&) = delete;

  void start(const Caller& caller, RoomId room, Done<std::monostate> done);
  void stop(const Caller& caller, RoomId room, Done<std::monostate> done);
  void message_sent(UserId user, RoomId room);
  // The user left the room or was removed: their indicator there ends at once, and a later
  // start is checked against the store (and refused) rather than refreshed.
  void member_left(UserId user, RoomId room);
  void connection_closed(std::uint64_t connection);

 private:
  struct Key {
    RoomId room;
    UserId user;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<std::int64_t>{}(k.room.value * 1'000'003 ^ k.user.value);
    }
  };
  struct Typist {
    std::uint64_t connection = 0;
    Clock::time_point expires;
  };

  // The typist is authorized: adds or refreshes the entry, telling the room when it is new.
  void begin(const Key& key, std::uint64_t connection);
  // Removes the entry and, when there was one, tells the room the typist stopped.
  void clear(const Key& key);
  void expire_loop();

  ReadPool& reads_;
  EventPublisher& events_;
  std::chrono::milliseconds timeout_;
  KnownMember known_member_;
  Hidden hidden_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_map<Key, Typist, KeyHash> typists_;
  bool stopping_ = false;
  std::thread expiry_;
};

}  // namespace parley::service
