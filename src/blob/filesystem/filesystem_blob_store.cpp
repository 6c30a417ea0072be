#include "blob/filesystem/filesystem_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

#include "blob/content_hash.hpp"
#include "core/unique_fd.hpp"

namespace parley::blob {
namespace {

namespace fs = std::filesystem;

Error io_error(std::string_view what, const fs::path& path, int error_number) {
  return Error{ErrorCode::internal,
               std::string(what) + " " + path.string() + ": " + std::strerror(error_number)};
}

// Only what a SHA-256 in hex looks like may become a path: nothing else reaches the filesystem.
bool is_sha256_hex(std::string_view text) {
  constexpr std::size_t kSha256Bytes = 32;
  return text.size() == kSha256Bytes * 2 &&
         text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

using Fd = core::UniqueFd;

// A rename survives a power loss only once the directory holding it is synced too.
Result<void> sync_directory(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return std::unexpected(io_error("cannot open", dir, errno));
  if (::fsync(fd.get()) != 0) return std::unexpected(io_error("cannot sync", dir, errno));
  return {};
}

class FilesystemWriter final : public BlobWriter {
 public:
  FilesystemWriter(fs::path root, fs::path temp, Fd fd) : root_(std::move(root)), temp_(std::move(temp)), fd_(std::move(fd)) {}
  ~FilesystemWriter() override {
    if (!committed_) {
      std::error_code ignored;
      fs::remove(temp_, ignored);
    }
  }

  Result<void> append(std::span<const std::byte> bytes) override {
    if (digest_) return fail(ErrorCode::internal, "append after the blob's address was taken");
    hash_.update(bytes);
    while (!bytes.empty()) {
      const ssize_t written = ::write(fd_.get(), bytes.data(), bytes.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        return std::unexpected(io_error("cannot write", temp_, errno));
      }
      bytes = bytes.subspan(static_cast<std::size_t>(written));
      size_ += written;
    }
    return {};
  }

  BlobInfo info() override {
    if (!digest_) digest_ = hash_.finish_hex();
    return BlobInfo{*digest_, size_};
  }

  Result<BlobInfo> commit() override {
    const BlobInfo blob = info();
    // Synced before it gets its address: an upload is acknowledged only once its bytes are on disk.
    if (::fsync(fd_.get()) != 0) return std::unexpected(io_error("cannot sync", temp_, errno));
    const fs::path dir = root_ / blob.sha256.substr(0, 2);
    const fs::path target = dir / blob.sha256.substr(2);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return std::unexpected(io_error("cannot create", dir, ec.value()));
    // Same address, same bytes: a copy already there is as good as this one, and this one goes.
    if (::rename(temp_.c_str(), target.c_str()) != 0)
      return std::unexpected(io_error("cannot move the upload to", target, errno));
    committed_ = true;
    PARLEY_CHECK(sync_directory(dir));
    return blob;
  }

 private:
  fs::path root_;
  fs::path temp_;
  Fd fd_;
  ContentHash hash_;
  std::int64_t size_ = 0;
  std::optional<std::string> digest_;
  bool committed_ = false;
};

class FilesystemReader final : public BlobReader {
 public:
  FilesystemReader(Fd fd, std::int64_t offset, std::int64_t length)
      : fd_(std::move(fd)), position_(offset), end_(offset + length) {}

  Result<std::size_t> read(std::span<std::byte> into) override {
    const std::int64_t left = end_ - position_;
    if (left <= 0 || into.empty()) return std::size_t{0};
    const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(left, static_cast<std::int64_t>(into.size())));
    for (;;) {
      const ssize_t got = ::pread(fd_.get(), into.data(), want, position_);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return fail(ErrorCode::internal, std::string("cannot read a stored upload: ") + std::strerror(errno));
      // Shorter than its recorded size: the file changed under us; never pretend it is complete.
      if (got == 0) return fail(ErrorCode::internal, "a stored upload is shorter than recorded");
      position_ += got;
      return static_cast<std::size_t>(got);
    }
  }

 private:
  Fd fd_;
  std::int64_t position_;
  std::int64_t end_;
};

class FilesystemBlobStore final : public BlobStore {
 public:
  explicit FilesystemBlobStore(fs::path root) : root_(std::move(root)), temp_dir_(root_ / "tmp") {}

  Result<std::unique_ptr<BlobWriter>> begin_write() override {
    std::string pattern = (temp_dir_ / "upload-XXXXXX").string();
    const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) return std::unexpected(io_error("cannot create a file in", temp_dir_, errno));
    return std::make_unique<FilesystemWriter>(root_, fs::path(pattern), Fd(fd));
  }

  Result<std::unique_ptr<BlobReader>> open(std::string_view sha256, std::int64_t offset, std::int64_t length) override {
    if (!is_sha256_hex(sha256)) return fail(ErrorCode::not_found, "no such blob");
    const fs::path path = path_of(sha256);
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT) return fail(ErrorCode::not_found, "no such blob");
      return std::unexpected(io_error("cannot open", path, errno));
    }
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) return std::unexpected(io_error("cannot read", path, errno));
    if (offset < 0 || length < 0 || offset + length > st.st_size)
      return fail(ErrorCode::invalid_payload, "the range is outside the blob");
    return std::make_unique<FilesystemReader>(std::move(fd), offset, length);
  }

  Result<std::optional<std::int64_t>> size(std::string_view sha256) override {
    if (!is_sha256_hex(sha256)) return std::optional<std::int64_t>();
    struct stat st{};
    const fs::path path = path_of(sha256);
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return std::optional<std::int64_t>();
      return std::unexpected(io_error("cannot read", path, errno));
    }
    return std::optional<std::int64_t>(st.st_size);
  }

  Result<void> remove(std::string_view sha256) override {
    if (!is_sha256_hex(sha256)) return {};
    const fs::path path = path_of(sha256);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return std::unexpected(io_error("cannot remove", path, errno));
    return {};
  }

 private:
  [[nodiscard]] fs::path path_of(std::string_view sha256) const {
    return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2));
  }

  fs::path root_;
  fs::path temp_dir_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> make_filesystem_blob_store(const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root / "tmp", ec);
  if (ec) return std::unexpected(io_error("cannot create", root / "tmp", ec.value()));
  // Uploads that were being received when a process stopped: nobody will finish them. Only
  // those untouched for a while go, because the nodes of a cluster may share this directory
  // and another node's upload in progress writes to its file every few milliseconds.
  constexpr auto kAbandonedAfter = std::chrono::hours(1);
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(root / "tmp", ec)) {
    std::error_code time_error;
    auto written = entry.last_write_time(time_error);
    if (!time_error && now - written > kAbandonedAfter) fs::remove(entry.path(), ec);
  }
  return std::unique_ptr<BlobStore>(std::make_unique<FilesystemBlobStore>(root));
}

}  // namespace parley::blob
