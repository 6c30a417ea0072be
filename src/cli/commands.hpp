#pragma once
// The terminal client's commands. Each returns the process's exit code.
#include <string>
#include <vector>

#include <parley/client.hpp>

namespace parley::cli {

int cmd_register(Client& c, const std::string& user, const std::string& password, const std::string& display_name);
int cmd_login(Client& c, const std::string& user, const std::string& password);
int cmd_logout(Client& c);
int cmd_rooms(Client& c);
int cmd_dm(Client& c, const std::string& user);
int cmd_group_create(Client& c, const std::string& name, const std::vector<std::string>& members);
int cmd_group_add(Client& c, std::int64_t room, const std::string& user, const std::string& role);
int cmd_group_remove(Client& c, std::int64_t room, const std::string& user);
int cmd_group_role(Client& c, std::int64_t room, const std::string& user, const std::string& role);
int cmd_send(Client& c, std::int64_t room, const std::string& text);
// A file as an image, file, audio or video message (type empty: from the file's media type).
int cmd_send_file(Client& c, std::int64_t room, const std::string& path, const std::string& type, const std::string& caption);
// The attachment of message `seq`: prints the cached file's path, or copies it to `output`.
int cmd_download(Client& c, std::int64_t room, std::int64_t seq, const std::string& output);
int cmd_history(Client& c, std::int64_t room, int limit);
int cmd_chat(Client& c, std::int64_t room);

// Connects and waits briefly: most commands want the server, and work from the local store
// (saying so) when it cannot be reached.
bool go_online(Client& c);

}  // namespace parley::cli
