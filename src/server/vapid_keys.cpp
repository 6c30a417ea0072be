#include "server/vapid_keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "server/service/jwt_parts.hpp"

namespace parley::server {

Result<VapidKeys> VapidKeys::load_or_create(const std::filesystem::path& data_dir) {
  return load_or_create_file(data_dir / kFileName);
}

Result<VapidKeys> VapidKeys::load_or_create_file(const std::filesystem::path& file) {
  // O_EXCL: when two processes start at once on a fresh directory, only one writes it. The file
  // holds the private scalar in base64url, one line, as the web-push tools of other servers
  // write it, so that a key can be carried over from one.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    auto key = service::P256PrivateKey::generate();
    if (!key) {
      ::close(fd);
      ::unlink(file.c_str());
      return std::unexpected(key.error());
    }
    const std::string line = service::base64url_encode(key->private_bytes()) + "\n";
    bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return fail(ErrorCode::internal, "cannot write the VAPID key " + file.string());
    return VapidKeys(std::move(*key));
  }
  std::ifstream in(file);
  if (!in) return fail(ErrorCode::internal, "cannot create or read the VAPID key " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  std::string line = text.str();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
  auto scalar = service::base64url_decode(line);
  Result<service::P256PrivateKey> key = fail(ErrorCode::invalid_payload, "not base64url");
  if (scalar) key = service::P256PrivateKey::from_private_bytes(*scalar);
  if (!key)
    return fail(ErrorCode::internal,
                "the VAPID key " + file.string() + " is not a P-256 private key in base64url (" + key.error().message +
                    "); restore it from a backup, or remove it to make a new one, which ends every browser's push "
                    "subscription");
  return VapidKeys(std::move(*key));
}

std::string VapidKeys::public_key_base64url() const { return service::base64url_encode(key_.public_point()); }

}  // namespace parley::server
