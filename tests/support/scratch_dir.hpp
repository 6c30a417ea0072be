#pragma once
// A fresh directory under the system's temporary directory, removed with its contents when the
// object goes: for database files, client data and uploads that must not outlive a test.
#include <filesystem>
#include <string>

namespace parley::test {

class ScratchDir {
 public:
  ScratchDir();  // throws when no directory can be made
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path sub(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace parley::test
