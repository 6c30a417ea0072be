#pragma once
// Rooms: the rooms list, direct rooms (get-or-create), groups (create, rename).
#include <string>
#include <variant>
#include <vector>

#include "domain/room_summary.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/presence_service.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct DirectRoom {
  domain::RoomSummary room;
  bool created = false;
};

// The other member of a direct room, by id or by username.
using Peer = std::variant<UserId, std::string>;

class RoomsService {
 public:
  RoomsService(WriteQueue& writes, ReadPool& reads, EventPublisher& events, PresenceService& presence)
      : writes_(writes), reads_(reads), events_(events), presence_(presence) {}

  void list(const Caller& caller, Done<std::vector<domain::RoomSummary>> done);
  void get(const Caller& caller, RoomId room, Done<domain::RoomSummary> done);
  // The caller becomes the group's admin; so do those of `members` also named in `admins`, in
  // the same transaction (the app's backend names them: a group is made whole or not at all).
  void create_group(const Caller& caller, std::string name, std::vector<UserId> members,
                    Done<domain::RoomSummary> done, std::vector<UserId> admins = {});
  void direct(const Caller& caller, Peer peer, Done<DirectRoom> done);
  void rename(const Caller& caller, RoomId room, std::string name, Done<domain::RoomSummary> done);
  // The rooms the caller is in, with the seq each stands at, for subscribing a new connection.
  void room_heads(const Caller& caller, Done<std::vector<domain::RoomHead>> done);

 private:
  template <class T>
  void write(std::function<Result<Committed<T>>(store::StoreSession&)> work, Done<T> done);

  WriteQueue& writes_;
  ReadPool& reads_;
  EventPublisher& events_;
  PresenceService& presence_;
};

}  // namespace parley::service
