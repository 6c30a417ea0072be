#include "server/service/uploads_service.hpp"

#include <algorithm>
#include <cstring>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "domain/limits.hpp"
#include "domain/validation.hpp"
#include "server/service/secrets.hpp"

namespace parley::service {
namespace {

// Random, so that ids say nothing about how many uploads there are, and one cannot be guessed
// from another.
constexpr std::size_t kUploadIdRandomBytes = 16;
constexpr std::int64_t kMaxDimension = 1 << 20;

Result<void> validate_declaration(const UploadDeclaration& d) {
  if (d.name.empty() || d.name.size() > domain::limits::kAttachmentNameMaxBytes)
    return fail(ErrorCode::invalid_payload, "name must be 1 to 255 bytes");
  if (!domain::is_valid_utf8(d.name)) return fail(ErrorCode::invalid_utf8, "name is not valid UTF-8");
  // The name goes back out in a Content-Disposition header: no control characters.
  if (std::ranges::any_of(d.name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
    return fail(ErrorCode::invalid_payload, "name must not contain control characters");
  if ((d.width && (*d.width < 1 || *d.width > kMaxDimension)) || (d.height && (*d.height < 1 || *d.height > kMaxDimension)))
    return fail(ErrorCode::invalid_payload, "width and height must be 1 to 1048576");
  if (d.duration_ms && *d.duration_ms < 0) return fail(ErrorCode::invalid_payload, "duration_ms must not be negative");
  return {};
}

}  // namespace

Result<void> IncomingUpload::append(std::span<const std::byte> bytes) {
  const std::size_t keep = std::min(bytes.size(), head_.size() - head_size_);
  std::memcpy(head_.data() + head_size_, bytes.data(), keep);
  head_size_ += keep;
  size_ += static_cast<std::int64_t>(bytes.size());
  return writer_->append(bytes);
}

Result<std::unique_ptr<IncomingUpload>> UploadsService::begin(const Caller& caller, UploadDeclaration declared) {
  PARLEY_CHECK(validate_declaration(declared));
  PARLEY_TRY(mime, domain::normalize_mime_type(declared.mime_type));
  declared.mime_type = std::move(mime);
  PARLEY_TRY(writer, blobs_.begin_write());
  return std::unique_ptr<IncomingUpload>(new IncomingUpload(caller, std::move(declared), std::move(writer)));
}

void UploadsService::finish(std::unique_ptr<IncomingUpload> incoming, Done<domain::Upload> done) {
  const auto head = std::span<const unsigned char>(incoming->head_.data(), incoming->head_size_);
  if (auto fits = domain::check_content_matches(incoming->declared_.mime_type, head); !fits)
    return done(std::unexpected(fits.error()));
  // std::function wants copies: the upload is shared by the steps below, one at a time.
  std::shared_ptr<IncomingUpload> upload = std::move(incoming);
  // The disk sync can take a while: on a reader thread, never on the I/O thread nor the writer.
  reads_.submit<blob::BlobInfo>(
      [this, upload](store::StoreSession&) -> Result<blob::BlobInfo> {
        const blob::BlobInfo content = upload->writer_->info();
        hold_content(content.sha256);
        auto committed = upload->writer_->commit();
        if (!committed) release_content(content.sha256);
        return committed;
      },
      [this, upload, done = std::move(done)](Result<blob::BlobInfo> content) {
        if (!content) return done(std::unexpected(content.error()));
        const UploadDeclaration& d = upload->declared_;
        domain::Upload record{
            .id = "u_" + random_token(kUploadIdRandomBytes),
            .owner = upload->caller_.user,
            .sha256 = content->sha256,
            .size_bytes = content->size_bytes,
            .mime_type = d.mime_type,
            .name = d.name,
            .width = d.width,
            .height = d.height,
            .duration_ms = d.duration_ms,
        };
        writes_.submit<domain::Upload>(
            [record](store::StoreSession& session) mutable -> Result<domain::Upload> {
              record.created_at_ms = now_ms();
              PARLEY_CHECK(session.insert_upload(record));
              return record;
            },
            [this, sha256 = content->sha256, done](Result<domain::Upload> stored) {
              release_content(sha256);
              if (stored) metrics::server().uploads_stored.add();
              done(std::move(stored));
            });
      });
}

void UploadsService::find_readable(const Caller& caller, std::string upload_id, Done<domain::Upload> done) {
  reads_.submit<domain::Upload>(
      [caller, upload_id = std::move(upload_id)](store::StoreSession& session) -> Result<domain::Upload> {
        PARLEY_TRY(upload, session.find_readable_upload(upload_id, caller.user));
        if (!upload) return fail(ErrorCode::not_found, "upload not found");
        return std::move(*upload);
      },
      std::move(done));
}

Result<std::unique_ptr<blob::BlobReader>> UploadsService::open_content(const domain::Upload& upload,
                                                                       std::int64_t offset, std::int64_t length) {
  auto reader = blobs_.open(upload.sha256, offset, length);
  if (!reader && reader.error().code == ErrorCode::not_found) {
    // A record without its bytes: the blob store lost them. Say so in the logs; the caller
    // gets an error it can retry rather than a silent empty file.
    spdlog::error("upload {} has no content in the blob store", upload.id);
    return fail(ErrorCode::internal, "the upload's content is missing");
  }
  return reader;
}

void UploadsService::sweep(Done<int> done) {
  struct Swept {
    int removed = 0;
    std::vector<std::string> orphaned_content;  // sha256s no upload keeps any more
  };
  writes_.submit<Swept>(
      [ttl = settings_.ttl, batch = settings_.sweep_batch](store::StoreSession& session) -> Result<Swept> {
        const TimestampMs cutoff = now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
        PARLEY_TRY(expired, session.list_unreferenced_uploads(cutoff, batch));
        Swept swept;
        for (const auto& upload : expired) {
          PARLEY_CHECK(session.delete_upload(upload.id));
          PARLEY_TRY(still_used, session.count_uploads_with_sha256(upload.sha256));
          if (still_used == 0) swept.orphaned_content.push_back(upload.sha256);
          ++swept.removed;
        }
        return swept;
      },
      // After the commit: the records are gone for good before their bytes go. Unlinking files
      // is disk work, done on a reader thread: the writer has commits to make.
      [this, done = std::move(done)](Result<Swept> swept) mutable {
        if (!swept) return done(std::unexpected(swept.error()));
        reads_.submit<int>(
            [this, swept = std::move(*swept)](store::StoreSession&) -> Result<int> {
              remove_unheld_content(swept.orphaned_content);
              metrics::server().uploads_removed.add(static_cast<std::uint64_t>(swept.removed));
              return swept.removed;
            },
            std::move(done));
      });
}

void UploadsService::hold_content(const std::string& sha256) {
  std::lock_guard lock(held_mutex_);
  ++held_[sha256];
}

void UploadsService::release_content(const std::string& sha256) {
  std::lock_guard lock(held_mutex_);
  if (auto it = held_.find(sha256); it != held_.end() && --it->second == 0) held_.erase(it);
}

void UploadsService::remove_unheld_content(const std::vector<std::string>& sha256s) {
  // Under the lock: an upload of the same bytes either holds them already (and they stay), or
  // holds them after they are gone (and its commit puts them back).
  std::lock_guard lock(held_mutex_);
  for (const auto& sha256 : sha256s) {
    if (held_.contains(sha256)) continue;
    if (auto removed = blobs_.remove(sha256); !removed)
      spdlog::warn("could not remove an unreferenced upload's content: {}", removed.error().message);
  }
}

}  // namespace parley::service
