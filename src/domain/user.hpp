#pragma once
#include <string>

#include "core/ids.hpp"

namespace parley::domain {

struct User {
  UserId id;
  std::string username;      // unique, case-insensitive, [a-z0-9_.-]{3,32}
  std::string display_name;  // free text shown to others
  TimestampMs created_at_ms = 0;
};

// What the store keeps beside a user for logging in. Never leaves the server.
struct Credentials {
  UserId user_id;
  std::string password_hash;  // libsodium argon2id string (salt and parameters inside)
};

}  // namespace parley::domain
