#include "cli/commands.hpp"

#include <iostream>
#include <thread>

#include "cli/output.hpp"

namespace parley::cli {

using namespace std::chrono_literals;

namespace {

// How long a command waits for the server before working from what this device holds.
constexpr auto kConnectWait = 5s;

bool signed_in(Client& c) {
  if (c.me()) return true;
  std::cerr << "parley: not signed in; run `parley login USER` first\n";
  return false;
}

Result<UserId> user_id(Client& c, const std::string& username) {
  auto user = c.find_user(username);
  if (!user) return std::unexpected(user.error());
  return user->id;
}

}  // namespace

bool go_online(Client& c) {
  c.connect();
  return c.wait_online(kConnectWait);
}

int cmd_register(Client& c, const std::string& user, const std::string& password, const std::string& display_name) {
  auto me = c.register_account(user, password, display_name);
  if (!me) return report(me.error());
  std::cout << "registered and signed in as " << me->username << "\n";
  return kExitOk;
}

int cmd_login(Client& c, const std::string& user, const std::string& password) {
  auto me = c.login(user, password);
  if (!me) return report(me.error());
  std::cout << "signed in as " << me->username << "\n";
  return kExitOk;
}

int cmd_logout(Client& c) {
  if (!signed_in(c)) return kExitNotSignedIn;
  if (auto done = c.logout(); !done) return report(done.error());
  std::cout << "signed out\n";
  return kExitOk;
}

int cmd_rooms(Client& c) {
  if (!signed_in(c)) return kExitNotSignedIn;
  if (go_online(c)) {
    // The presence snapshot arrives right after connecting.
    for (int i = 0; i < 50 && c.drain() == 0; ++i) std::this_thread::sleep_for(10ms);
  } else {
    std::cerr << "parley: offline; showing what this device holds\n";
  }
  auto rooms = c.rooms();
  if (rooms.empty()) std::cout << "no rooms yet\n";
  for (const auto& room : rooms) std::cout << describe(room, c) << "\n";
  return kExitOk;
}

int cmd_dm(Client& c, const std::string& user) {
  if (!signed_in(c)) return kExitNotSignedIn;
  go_online(c);
  auto room = c.direct_room(user);
  if (!room) return report(room.error());
  std::cout << room->id.value << "\n";
  return kExitOk;
}

int cmd_group_create(Client& c, const std::string& name, const std::vector<std::string>& members) {
  if (!signed_in(c)) return kExitNotSignedIn;
  go_online(c);
  std::vector<UserId> ids;
  for (const auto& m : members) {
    auto id = user_id(c, m);
    if (!id) return report(id.error());
    ids.push_back(*id);
  }
  auto room = c.create_group(name, ids);
  if (!room) return report(room.error());
  std::cout << room->id.value << "\n";
  return kExitOk;
}

int cmd_group_add(Client& c, std::int64_t room, const std::string& user, const std::string& role) {
  if (!signed_in(c)) return kExitNotSignedIn;
  go_online(c);
  auto id = user_id(c, user);
  if (!id) return report(id.error());
  auto added = c.add_member(RoomId{room}, *id, role);
  if (!added) return report(added.error());
  std::cout << "added " << user << " as " << added->role << "\n";
  return kExitOk;
}

int cmd_group_remove(Client& c, std::int64_t room, const std::string& user) {
  if (!signed_in(c)) return kExitNotSignedIn;
  go_online(c);
  auto id = user_id(c, user);
  if (!id) return report(id.error());
  if (auto done = c.remove_member(RoomId{room}, *id); !done) return report(done.error());
  std::cout << "removed " << user << "\n";
  return kExitOk;
}

int cmd_group_role(Client& c, std::int64_t room, const std::string& user, const std::string& role) {
  if (!signed_in(c)) return kExitNotSignedIn;
  go_online(c);
  auto id = user_id(c, user);
  if (!id) return report(id.error());
  auto changed = c.set_role(RoomId{room}, *id, role);
  if (!changed) return report(changed.error());
  std::cout << user << " is now " << changed->role << "\n";
  return kExitOk;
}

int cmd_send(Client& c, std::int64_t room, const std::string& text) {
  if (!signed_in(c)) return kExitNotSignedIn;
  bool online = go_online(c);
  auto message = c.send_text(RoomId{room}, text);
  if (!message) return report(message.error());
  if (online && c.wait_outbox_empty(10s)) {
    for (const auto& m : c.messages(RoomId{room}))
      if (m.client_msg_id == message->client_msg_id && m.state == MessageState::failed)
        return report(Error{ErrorCode::invalid_payload, "the server refused the message: " + m.failure});
    std::cout << "sent\n";
    return kExitOk;
  }
  // Kept in the outbox on disk: the next run that reaches the server sends it.
  std::cout << "queued: the server cannot be reached; it will be sent by the next parley command that connects\n";
  return kExitOk;
}

int cmd_history(Client& c, std::int64_t room, int limit) {
  if (!signed_in(c)) return kExitNotSignedIn;
  const RoomId id{room};
  Names names;
  if (go_online(c)) {
    // Let the catch-up land, then fill in older pages the device does not hold yet.
    c.wait_outbox_empty(5s);
    while (static_cast<int>(c.messages(id, limit).size()) < limit) {
      auto older = c.load_older(id, 100);
      if (!older || older->empty()) break;
    }
    names = member_names(c, id);
  } else {
    std::cerr << "parley: offline; showing what this device holds\n";
  }
  if (!c.room(id)) return report(Error{ErrorCode::not_found, "no room #" + std::to_string(room) + " on this device"});
  UserId me = c.me()->id;
  for (const auto& m : c.messages(id, limit)) std::cout << describe(m, me, names) << "\n";
  return kExitOk;
}

}  // namespace parley::cli
