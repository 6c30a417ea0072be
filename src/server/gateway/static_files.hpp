#pragma once
// The web client's files, served from one directory: GET / is index.html. Nothing outside the
// directory can be reached: paths with "..", hidden files and links out are refused.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace parley::gateway {

struct StaticFile {
  std::string body;
  std::string content_type;
};

class StaticFiles {
 public:
  // An empty or missing directory serves nothing.
  explicit StaticFiles(std::filesystem::path root);

  // The file for a request path such as "/" or "/app.js"; nullopt when there is none.
  [[nodiscard]] std::optional<StaticFile> find(std::string_view path) const;

 private:
  std::filesystem::path root_;  // canonical, or empty
};

}  // namespace parley::gateway
