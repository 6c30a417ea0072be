#pragma once
// A login id (one sign-in and every refresh of it) as a number: 64-bit FNV-1a folded to 32
// bits. Each WebSocket keeps this instead of the id itself, four bytes a connection rather than
// a string. Two logins of one user with the same tag (about one pair in four billion) would
// only mean that ending one also closes the other's connections.
#include <cstdint>
#include <string_view>

namespace parley {

[[nodiscard]] inline std::uint32_t login_tag(std::string_view login) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : login) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

}  // namespace parley
