#pragma once
#include <string>

#include "core/ids.hpp"

namespace parley::domain {

struct User {
  UserId id;
  std::string username;      // unique, case-insensitive, [a-z0-9_.-]{3,32}
  std::string display_name;  // free text shown to others
  TimestampMs created_at_ms = 0;
  bool bot = false;  // made by the app's backend as a bot (docs/server-api.md)
  // The app identity provider's id for the user (users.external_id); empty for Parley's own
  // accounts. For the app's backend only: never sent to clients.
  std::string external_id;
};

// What the store keeps beside a user for logging in. Never leaves the server.
struct Credentials {
  UserId user_id;
  std::string password_hash;  // libsodium argon2id string (salt and parameters inside)
};

}  // namespace parley::domain
