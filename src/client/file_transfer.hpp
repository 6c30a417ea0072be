#pragma once
// Files over HTTP: an upload streamed from disk to POST /v1/uploads, and a download from
// GET /v1/uploads/{id} streamed to disk that resumes a partial file with Range. Neither ever
// holds the whole file in memory. Blocking; Beast stays in file_transfer.cpp.
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <parley/error.hpp>

#include "client/transport.hpp"

namespace parley::client {

// Bytes moved so far and the total; called on the transferring thread after each chunk.
using ByteProgress = std::function<void(std::int64_t done, std::int64_t total)>;

struct UploadRequest {
  std::filesystem::path file;
  std::string name;  // what the server keeps as the upload's name
  std::string mime_type;
  std::optional<std::int32_t> width;
  std::optional<std::int32_t> height;
  std::optional<std::int64_t> duration_ms;
};

// The server's Upload object, or its error (network when it cannot be reached or the
// connection broke). `idle_timeout` bounds each wait for the network, not the whole transfer.
[[nodiscard]] Result<boost::json::value> upload_file(const Endpoint& server, const std::string& bearer,
                                                     const UploadRequest& request, const ByteProgress& progress,
                                                     std::chrono::milliseconds idle_timeout);

// Downloads the upload into `partial` (appending to what it already holds, with Range), and
// returns when `partial` holds the whole file. A server that ignores the range restarts it.
[[nodiscard]] Result<void> download_file(const Endpoint& server, const std::string& bearer, const std::string& upload_id,
                                         const std::filesystem::path& partial, const ByteProgress& progress,
                                         std::chrono::milliseconds idle_timeout);

}  // namespace parley::client
