#pragma once
// Certificates for tests of TLS: a certificate authority of the test's own, and server
// certificates it issues, made with OpenSSL at run time (nothing secret is kept in the
// repository, and nothing expires between runs). ECDSA P-256 keys, SHA-256 signatures.
//
// A client trusts a test CA by its PEM (TlsClientOptions::trusted_ca_pem, or the SDK's CA
// file); the server is given the files that issue() writes (--tls-cert, --tls-key).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace parley::test {

struct ServerCertificateFiles {
  std::filesystem::path certificate_chain;  // PEM: the server's certificate, then the CA's
  std::filesystem::path private_key;        // PEM, unencrypted
};

class TestCertificateAuthority {
 public:
  explicit TestCertificateAuthority(const std::string& name);
  ~TestCertificateAuthority();
  TestCertificateAuthority(const TestCertificateAuthority&) = delete;
  TestCertificateAuthority& operator=(const TestCertificateAuthority&) = delete;

  // The CA's own certificate, for a client to trust.
  [[nodiscard]] std::string certificate_pem() const;
  // The SHA-256 of the public key (SubjectPublicKeyInfo) of the last certificate issued,
  // base64: what Chromium's --ignore-certificate-errors-spki-list takes.
  [[nodiscard]] std::string last_issued_spki_sha256() const { return last_spki_; }

  // A server certificate for `names` (DNS names, or IP addresses such as "127.0.0.1"), valid
  // from an hour ago for a day, written as `<stem>.crt` and `<stem>.key` in `dir`. Writing the
  // same stem again replaces the files, as a renewal does.
  ServerCertificateFiles issue(const std::filesystem::path& dir, const std::string& stem,
                               const std::vector<std::string>& names = {"localhost", "127.0.0.1"});

 private:
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::string last_spki_;
};

}  // namespace parley::test
