#pragma once
// Where uploaded files' bytes live, addressed by the SHA-256 of their content: the same bytes
// uploaded twice are kept once. The services see only this interface, so that an object store
// can take the place of the filesystem one without them changing.
//
// Writers and readers are used by one thread at a time; the store itself is thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::blob {

struct BlobInfo {
  std::string sha256;  // lower-case hex
  std::int64_t size_bytes = 0;
};

// Bytes on their way in. Nothing is visible under any address until commit(); a writer dropped
// without committing leaves nothing behind.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  [[nodiscard]] virtual Result<void> append(std::span<const std::byte> bytes) = 0;
  // The content's address and size, from what was appended so far. Nothing may be appended
  // after it is asked.
  [[nodiscard]] virtual BlobInfo info() = 0;
  // Makes the content durable, then readable under info().sha256. When that content is already
  // stored this keeps the stored copy.
  [[nodiscard]] virtual Result<BlobInfo> commit() = 0;
};

// A byte range of a stored blob, read front to back.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  // Fills the front of `into` with the next bytes of the range; returns how many (0 at its end).
  [[nodiscard]] virtual Result<std::size_t> read(std::span<std::byte> into) = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  [[nodiscard]] virtual Result<std::unique_ptr<BlobWriter>> begin_write() = 0;
  // `length` bytes from `offset`; not_found when no such blob, invalid_payload when the range
  // does not lie inside it.
  [[nodiscard]] virtual Result<std::unique_ptr<BlobReader>> open(std::string_view sha256, std::int64_t offset,
                                                                 std::int64_t length) = 0;
  // nullopt when no such blob.
  [[nodiscard]] virtual Result<std::optional<std::int64_t>> size(std::string_view sha256) = 0;
  // Removing a blob that is not there succeeds.
  [[nodiscard]] virtual Result<void> remove(std::string_view sha256) = 0;
};

}  // namespace parley::blob
