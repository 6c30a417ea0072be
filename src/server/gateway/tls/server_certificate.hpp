#pragma once
// The server's TLS certificate and key, as an OpenSSL context that new connections use.
//
// reload() reads the files again (on SIGHUP): connections accepted afterwards get the new
// certificate, while those already open keep the context they started with, which lives as long
// as any of them does. A reload that fails leaves the current certificate in place.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace parley::gateway::tls {

struct CertificateFiles {
  std::string certificate_chain;  // PEM: the server's certificate, then its intermediates
  std::string private_key;        // PEM
};

class ServerCertificate {
 public:
  // Reads the files; fails with a message naming the file and OpenSSL's reason.
  static Result<std::shared_ptr<ServerCertificate>> load(CertificateFiles files);

  // The context for a connection accepted now.
  [[nodiscard]] std::shared_ptr<boost::asio::ssl::context> current() const;
  // Reads the files again; on failure the previous certificate stays.
  Result<void> reload();

 private:
  explicit ServerCertificate(CertificateFiles files) : files_(std::move(files)) {}

  CertificateFiles files_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
};

// A context with Parley's settings and the given files: TLS 1.2 and 1.3 only, forward-secret
// AEAD cipher suites, no renegotiation or compression, HTTP/1.1 by ALPN.
[[nodiscard]] Result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(const CertificateFiles& files);

}  // namespace parley::gateway::tls
