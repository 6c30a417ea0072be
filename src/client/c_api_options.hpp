#pragma once
// parley_client_open's options JSON -> parley::ClientOptions and the C layer's own settings.
#include <cstddef>

#include <parley/client.hpp>

namespace parley::c_api {

struct OpenOptions {
  ClientOptions client;
  // The update stream's bound (UpdateQueue): 8 MiB holds thousands of ordinary updates, enough
  // for an app that receives from a loop to never see a loss, and is small on any device.
  std::size_t max_update_bytes = 8u << 20;
};

// server and data_dir are required strings; the rest is optional (docs/sdk.md). Unknown keys
// are ignored, so that an app written for a newer library still opens an older one.
[[nodiscard]] Result<OpenOptions> parse_open_options(const char* options_json);

}  // namespace parley::c_api
