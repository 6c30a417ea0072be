#pragma once
// The SHA-256 of a blob's content, fed piece by piece as the bytes arrive. OpenSSL's, which
// uses the processor's SHA instructions where there are any: several times faster than a
// portable implementation, and an upload is hashed at the speed it is received.
#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace parley::blob {

class ContentHash {
 public:
  ContentHash();
  ~ContentHash();
  ContentHash(const ContentHash&) = delete;
  ContentHash& operator=(const ContentHash&) = delete;

  void update(std::span<const std::byte> bytes);
  // Lower-case hex. Nothing may be added after it is asked.
  [[nodiscard]] std::string finish_hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace parley::blob
