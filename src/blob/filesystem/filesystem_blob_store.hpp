#pragma once
// BlobStore on a local directory: `<root>/ab/cdef...` for the blob whose SHA-256 is
// "abcdef...", written to `<root>/tmp/` first and renamed into place once synced, so that a blob
// under its address is always complete, whatever crash happens meanwhile.
#include <filesystem>
#include <memory>

#include "blob/blob_store.hpp"

namespace parley::blob {

// Creates `root` and its tmp directory if needed, and removes what a crash left in tmp an hour
// or more ago. Several nodes may share `root`.
[[nodiscard]] Result<std::unique_ptr<BlobStore>> make_filesystem_blob_store(const std::filesystem::path& root);

}  // namespace parley::blob
