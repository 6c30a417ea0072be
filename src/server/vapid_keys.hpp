#pragma once
// The server's VAPID key (RFC 8292): made on the first start into the data directory (or the
// file --vapid-key-file names), readable by its owner only, and the same on every later start,
// since every browser subscription is bound to it: a new key silently ends them all. The nodes
// of a cluster share one file, as they share the signing secret.
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "server/service/p256_key.hpp"
#include "server/service/web_push.hpp"

namespace parley::server {

class VapidKeys {
 public:
  // The file's name in the data directory.
  static constexpr const char* kFileName = "vapid.key";

  // `data_dir`/vapid.key; internal, naming the file and what to do, when the file exists but is
  // not a key (start-up stops rather than replace it).
  [[nodiscard]] static Result<VapidKeys> load_or_create(const std::filesystem::path& data_dir);
  // The same with the file named.
  [[nodiscard]] static Result<VapidKeys> load_or_create_file(const std::filesystem::path& file);

  // The uncompressed P-256 point, base64url: the browser's applicationServerKey.
  [[nodiscard]] std::string public_key_base64url() const;
  [[nodiscard]] const service::P256PrivateKey& private_key() const { return key_; }
  // What signs and encrypts each push, with the operator's contact as the tokens' subject.
  [[nodiscard]] service::WebPushSigner signer(std::string subject) const { return {key_, std::move(subject)}; }

 private:
  explicit VapidKeys(service::P256PrivateKey key) : key_(std::move(key)) {}
  service::P256PrivateKey key_;
};

}  // namespace parley::server
