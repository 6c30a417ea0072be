#pragma once
// Password hashing (argon2id) and random tokens, from libsodium.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::service {

struct PasswordCost {
  // argon2id work factors. The defaults follow OWASP's minimum (19 MiB, 2 passes): a login
  // costs tens of milliseconds of one reader thread, and an offline guess as much.
  unsigned long long ops = 2;
  std::size_t memory_bytes = 19 * 1024 * 1024;
};

// Must be called once before any other function here.
[[nodiscard]] Result<void> init_crypto();
[[nodiscard]] Result<std::string> hash_password(std::string_view password, const PasswordCost& cost);
[[nodiscard]] bool verify_password(const std::string& hash, std::string_view password);
// `bytes` random bytes as unpadded base64url: refresh tokens, family ids, secrets.
[[nodiscard]] std::string random_token(std::size_t bytes);
// SHA-256 in hex: what the store keeps of a refresh token.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace parley::service
