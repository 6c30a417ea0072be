#include "server/gateway/tls/server_certificate.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>

namespace parley::gateway::tls {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" list for TLS 1.2: only ECDHE key exchange (forward secrecy) with
// AEAD ciphers. TLS 1.3's suites are OpenSSL's defaults, which are all of that kind already.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Only HTTP/1.1 is spoken; a client that offers h2 first still gets a connection it can use.
int select_http11(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* offered,
                  unsigned int offered_length, void*) {
  static constexpr unsigned char kHttp11[] = {'h', 't', 't', 'p', '/', '1', '.', '1'};
  for (unsigned int i = 0; i < offered_length;) {
    const unsigned char length = offered[i];
    if (i + 1 + length > offered_length) break;
    if (length == sizeof kHttp11 && std::memcmp(offered + i + 1, kHttp11, length) == 0) {
      *out = offered + i + 1;
      *out_length = length;
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + length;
  }
  return SSL_TLSEXT_ERR_NOACK;  // no ALPN agreed: the client may still speak HTTP/1.1
}

Error file_error(const std::string& what, const std::string& path, const boost::system::error_code& ec) {
  return Error{ErrorCode::invalid_payload, "cannot use the TLS " + what + " in \"" + path + "\": " + ec.message()};
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_context(const CertificateFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // An idle connection gives its read and write buffers back (about 34 KB each): most chat
  // connections are idle most of the time.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return fail(ErrorCode::internal, "OpenSSL refused the TLS 1.2 cipher list");
  SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);

  boost::system::error_code ec;
  context->use_certificate_chain_file(files.certificate_chain, ec);
  if (ec) return std::unexpected(file_error("certificate", files.certificate_chain, ec));
  context->use_private_key_file(files.private_key, ssl::context::pem, ec);
  if (ec) return std::unexpected(file_error("private key", files.private_key, ec));
  if (SSL_CTX_check_private_key(native) != 1)
    return fail(ErrorCode::invalid_payload,
                "the TLS private key in \"" + files.private_key + "\" does not match the certificate in \"" +
                    files.certificate_chain + "\"");
  return context;
}

Result<std::shared_ptr<ServerCertificate>> ServerCertificate::load(CertificateFiles files) {
  std::shared_ptr<ServerCertificate> certificate(new ServerCertificate(std::move(files)));
  PARLEY_CHECK(certificate->reload());
  return certificate;
}

std::shared_ptr<ssl::context> ServerCertificate::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Result<void> ServerCertificate::reload() {
  PARLEY_TRY(context, make_server_context(files_));
  std::lock_guard lock(mutex_);
  current_ = std::move(context);
  return {};
}

}  // namespace parley::gateway::tls
