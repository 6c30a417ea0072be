#pragma once
// Where the terminal client keeps a user's SDK data (tokens, history, outbox): in the user's
// config directory, one folder per server, readable by that user alone.
#include <filesystem>
#include <memory>
#include <string>

#include <parley/client.hpp>

namespace parley::cli {

// $XDG_CONFIG_HOME/parley/<host>_<port>, else ~/.config/parley/<host>_<port>; created 0700.
[[nodiscard]] Result<std::filesystem::path> profile_dir(const std::string& server);
[[nodiscard]] Result<std::unique_ptr<Client>> open_profile(const std::string& server);

}  // namespace parley::cli
