#pragma once
// A login id (one sign-in and every refresh of it) as a number: 64-bit FNV-1a. Each WebSocket
// keeps this instead of the id itself, eight bytes a connection rather than a string.
#include <cstdint>
#include <string_view>

namespace parley {

[[nodiscard]] inline std::uint64_t login_tag(std::string_view login) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : login) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace parley
