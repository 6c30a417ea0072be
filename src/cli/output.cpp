#include "cli/output.hpp"

#include "cli/safe_text.hpp"

#include <ctime>
#include <iostream>

namespace parley::cli {

int report(const Error& error) {
  std::cerr << "parley: " << shown(error.message) << "\n";
  switch (error.kind()) {
    case ErrorKind::network: return kExitUnavailable;
    case ErrorKind::unauthorized: return kExitNotSignedIn;
    default: return kExitFailed;
  }
}

Names member_names(Client& client, RoomId room) {
  Names names;
  if (auto members = client.members(room))
    for (const auto& m : *members) names[m.user_id] = shown(m.username);  // printed as they are kept
  return names;
}

std::string describe(const Presence& p) {
  if (p.online) return p.status.empty() ? "online" : p.status;
  if (!p.last_seen_at) return "offline";
  std::time_t seen = static_cast<std::time_t>(*p.last_seen_at / 1000);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", std::localtime(&seen));
  return std::string("last seen ") + text;
}

std::string describe(const Room& room, Client& client) {
  std::string name = shown(room.name);
  std::string presence;
  if (room.kind == "direct" && room.peer) {
    auto names = member_names(client, room.id);
    auto peer = names.find(*room.peer);
    name = "direct with " + (peer != names.end() ? peer->second : "user " + std::to_string(room.peer->value));
    if (auto p = client.presence(*room.peer)) presence = "  [" + describe(*p) + "]";
  }
  std::string line = "#" + std::to_string(room.id.value) + "  " + name;
  if (room.unread_count > 0) line += "  (" + std::to_string(room.unread_count) + " unread)";
  return line + presence;
}

}  // namespace parley::cli
