#pragma once
// A tiny HTTP (or HTTPS) server on loopback, serving one JSON document (a JWK Set) at every
// path, on a thread of its own: the app identity provider's key endpoint, as a test plays it.
// The document can be changed while it runs (a key rotation), and it counts the requests it
// answered.
#include <boost/json/object.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/test_certificates.hpp"

namespace parley::test {

class JwksServer {
 public:
  // With `tls`, it speaks HTTPS with that certificate, and url() names localhost.
  explicit JwksServer(std::optional<ServerCertificateFiles> tls = std::nullopt);
  ~JwksServer();
  JwksServer(const JwksServer&) = delete;
  JwksServer& operator=(const JwksServer&) = delete;

  // {"keys": [...]} from JWKs.
  void serve(const std::vector<boost::json::object>& keys);
  [[nodiscard]] std::string url() const;
  [[nodiscard]] int requests() const { return requests_.load(); }

 private:
  struct Impl;
  void answer_next();
  [[nodiscard]] std::string document() const;

  std::unique_ptr<Impl> impl_;
  mutable std::mutex mutex_;
  std::string document_;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace parley::test
