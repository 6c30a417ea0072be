#include "server/gateway/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace parley::gateway {
namespace {

// The web client's files are small; a larger one is not the client's and is not served.
constexpr std::uintmax_t kMaxFileBytes = 8 * 1024 * 1024;

std::string content_type_of(const std::filesystem::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  const std::string ext = file.extension().string();
  for (const auto& [suffix, type] : kTypes)
    if (ext == suffix) return std::string(type);
  return "application/octet-stream";
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) {
  std::error_code ec;
  if (!root.empty() && std::filesystem::is_directory(root, ec)) root_ = std::filesystem::canonical(root, ec);
}

std::optional<StaticFile> StaticFiles::find(std::string_view path) const {
  if (root_.empty() || path.empty() || path.front() != '/') return std::nullopt;
  std::string relative(path.substr(1));
  if (relative.empty()) relative = "index.html";
  // Every segment must be an ordinary name: no "..", no hidden files, no empty segments.
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string::npos) end = relative.size();
    std::string_view segment(relative.data() + start, end - start);
    if (segment.empty() || segment.front() == '.' || segment.find('\\') != std::string_view::npos) return std::nullopt;
    start = end + 1;
  }
  std::error_code ec;
  auto file = std::filesystem::canonical(root_ / relative, ec);
  if (ec) return std::nullopt;
  // A link that leads out of the directory is not followed.
  auto [root_end, file_it] = std::mismatch(root_.begin(), root_.end(), file.begin(), file.end());
  if (root_end != root_.end() || !std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  if (std::filesystem::file_size(file, ec) > kMaxFileBytes || ec) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in) return std::nullopt;
  return StaticFile{body.str(), content_type_of(file)};
}

}  // namespace parley::gateway
