#include "server/signing_secret.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "server/service/secrets.hpp"

namespace parley::server {
namespace {

constexpr std::size_t kSecretBytes = 48;
constexpr std::size_t kMinimumSecretChars = 32;

}  // namespace

Result<std::string> load_or_create_signing_secret(const std::filesystem::path& path) {
  // O_EXCL: when two processes start at once on a fresh directory, only one writes it.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    std::string secret = service::random_token(kSecretBytes);
    bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return fail(ErrorCode::internal, "cannot write " + path.string());
    return secret;
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == ' ')) secret.pop_back();
  if (!in || secret.size() < kMinimumSecretChars)
    return fail(ErrorCode::internal, "cannot read a signing secret of at least 32 characters from " + path.string());
  return secret;
}

}  // namespace parley::server
