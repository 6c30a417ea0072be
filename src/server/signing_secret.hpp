#pragma once
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace parley::server {

// The secret that signs access tokens: generated on the first start into `path` (by default
// signing.key in the data directory), readable by its owner only, so tokens stay valid across
// restarts. The nodes of a cluster share one file, so a token from one is good on all.
[[nodiscard]] Result<std::string> load_or_create_signing_secret(const std::filesystem::path& path);

}  // namespace parley::server
