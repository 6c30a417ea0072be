// A blocking HTTP/1.1 client for the file routes (POST /v1/uploads, GET /v1/uploads/{id}) on
// one kept-alive connection. It moves the bytes in large pieces and keeps no copy of a file, so
// that the bench costs little CPU per byte and a transfer's speed is the server's.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace parley::bench {

struct TransferResult {
  int status = 0;             // 0: no answer (connection refused, timeout, cut short)
  std::string body;           // the JSON answer of an upload or of an error
  std::string error;          // why there was no answer
  std::int64_t bytes = 0;     // the file's bytes sent or received
  double body_seconds = 0;    // upload: until the last byte was handed to the kernel
  double seconds = 0;         // from the request's first byte until its answer's last
  bool content_matches = true;  // download: every byte equal to the expected file
};

class TransferClient {
 public:
  TransferClient(std::string host, unsigned short port);
  ~TransferClient();
  TransferClient(const TransferClient&) = delete;
  TransferClient& operator=(const TransferClient&) = delete;

  // POST `target` with `file` as the raw body (Content-Length).
  TransferResult upload(const std::string& target, const std::string& content_type, std::span<const char> file,
                        const std::string& bearer, std::chrono::milliseconds timeout = std::chrono::seconds(120));
  // GET `target`, comparing the body with `expected` as it arrives.
  TransferResult download(const std::string& target, std::span<const char> expected, const std::string& bearer,
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::bench
