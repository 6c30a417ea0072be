#pragma once
// Uploads: files received for image, file, audio and video messages. The bytes go to the blob
// store as they arrive (never whole in memory); the record goes through the writer once they
// are on disk; downloads are for the owner and the members of rooms whose messages carry it.
#include <array>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "blob/blob_store.hpp"
#include "domain/media_type.hpp"
#include "domain/upload.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct UploadSettings {
  // An upload no message refers to is removed once it is this old: long enough for a client
  // to upload, then send (even after going offline for a while), short enough that abandoned
  // uploads do not fill the disk.
  std::chrono::seconds ttl{24 * 3600};
  // How many uploads one sweep removes at most, so that one transaction stays small.
  int sweep_batch = 500;
};

// What the uploader says about the file: the route's Content-Type and query.
struct UploadDeclaration {
  std::string name;
  std::string mime_type;  // as sent; normalized by begin()
  std::optional<std::int32_t> width;
  std::optional<std::int32_t> height;
  std::optional<std::int64_t> duration_ms;
};

// An upload while its bytes arrive. Owned by the connection receiving it; dropping it leaves
// nothing behind.
class IncomingUpload {
 public:
  [[nodiscard]] Result<void> append(std::span<const std::byte> bytes);
  [[nodiscard]] std::int64_t size_bytes() const { return size_; }

 private:
  friend class UploadsService;
  IncomingUpload(Caller caller, UploadDeclaration declared, std::unique_ptr<blob::BlobWriter> writer)
      : caller_(caller), declared_(std::move(declared)), writer_(std::move(writer)) {}

  Caller caller_;
  UploadDeclaration declared_;
  std::unique_ptr<blob::BlobWriter> writer_;
  // The first bytes, for checking them against the declared type once all have arrived.
  std::array<unsigned char, domain::kSniffBytes> head_{};
  std::size_t head_size_ = 0;
  std::int64_t size_ = 0;
};

class UploadsService {
 public:
  UploadsService(WriteQueue& writes, ReadPool& reads, blob::BlobStore& blobs, UploadSettings settings)
      : writes_(writes), reads_(reads), blobs_(blobs), settings_(settings) {}

  // Checks what the uploader declared and opens a place for the bytes. Cheap: no disk sync.
  [[nodiscard]] Result<std::unique_ptr<IncomingUpload>> begin(const Caller& caller, UploadDeclaration declared);
  // Checks the bytes against the declared type (unsupported_media_type), makes them durable and
  // records the upload. `done` runs once the record is committed.
  void finish(std::unique_ptr<IncomingUpload> upload, Done<domain::Upload> done);

  // The upload when the caller may download it; not_found otherwise, the same whether it
  // exists or not.
  void find_readable(const Caller& caller, std::string upload_id, Done<domain::Upload> done);
  // `length` bytes of its content from `offset`.
  [[nodiscard]] Result<std::unique_ptr<blob::BlobReader>> open_content(const domain::Upload& upload,
                                                                      std::int64_t offset, std::int64_t length);

  // Removes the uploads no message refers to that are older than the time to live, and their
  // bytes when no other upload shares them. `done` gets how many were removed.
  void sweep(Done<int> done);

 private:
  // Content whose blob was committed but whose record is not yet: the sweeper must not remove
  // those bytes even if, for the moment, no record refers to them.
  void hold_content(const std::string& sha256);
  void release_content(const std::string& sha256);
  void remove_unheld_content(const std::vector<std::string>& sha256s);

  WriteQueue& writes_;
  ReadPool& reads_;
  blob::BlobStore& blobs_;
  UploadSettings settings_;
  std::mutex held_mutex_;  // a leaf lock: nothing is called while it is held but the blob removal
  std::map<std::string, int> held_;
};

}  // namespace parley::service
