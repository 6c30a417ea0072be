#pragma once
// A file a user uploaded, for an image, file, audio or video message to carry. The bytes live
// in the blob store under their SHA-256; this is what the server keeps about them.
#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.hpp"

namespace parley::domain {

struct Upload {
  std::string id;       // opaque and unguessable, e.g. "u_3q2...": the attachment's upload_id
  UserId owner;         // who uploaded it: the only one who may attach it to a message
  std::string sha256;   // of the content, lower-case hex: where the blob store keeps the bytes
  std::int64_t size_bytes = 0;
  std::string mime_type;
  std::string name;
  std::optional<std::int32_t> width;
  std::optional<std::int32_t> height;
  std::optional<std::int64_t> duration_ms;
  TimestampMs created_at_ms = 0;
  // When a message first referred to it. Unset: nothing refers to it yet, and it is removed
  // once it is older than the configured time to live.
  std::optional<TimestampMs> referenced_at_ms;
};

}  // namespace parley::domain
