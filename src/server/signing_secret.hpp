#pragma once
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace parley::server {

// The secret that signs access tokens: generated on the first start and kept in the data
// directory, readable by its owner only, so tokens stay valid across restarts.
[[nodiscard]] Result<std::string> load_or_create_signing_secret(const std::filesystem::path& data_dir);

}  // namespace parley::server
