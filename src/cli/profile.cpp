#include "cli/profile.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cstdlib>

namespace parley::cli {

Result<std::filesystem::path> profile_dir(const std::string& server) {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".config";
  else return fail(ErrorCode::invalid_payload, "neither XDG_CONFIG_HOME nor HOME is set: nowhere to keep the session");
  std::string name;
  for (char c : server.substr(server.find("://") == std::string::npos ? 0 : server.find("://") + 3))
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
  auto dir = base / "parley" / name;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::invalid_payload, "cannot create " + dir.string() + ": " + ec.message());
  // Tokens are in there: nobody but the user may read them.
  ::chmod((base / "parley").c_str(), 0700);
  ::chmod(dir.c_str(), 0700);
  return dir;
}

Result<std::unique_ptr<Client>> open_profile(const std::string& server) {
  auto dir = profile_dir(server);
  if (!dir) return std::unexpected(dir.error());
  ::umask(077);  // the database files the SDK creates stay private too
  ClientOptions options;
  options.server = server;
  options.data_dir = *dir;
  return Client::open(options);
}

}  // namespace parley::cli
