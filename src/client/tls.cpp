#include "client/tls.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace parley::client {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> make_tls_context(const std::filesystem::path& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  // Older versions have known breaks; parleyd accepts nothing older either.
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) return fail(ErrorCode::tls_certificate, "cannot read the system's certificate authorities: " + ec.message());
  } else {
    context->load_verify_file(ca_file.string(), ec);
    if (ec) return fail(ErrorCode::invalid_payload, "cannot read the CA file " + ca_file.string() + ": " + ec.message());
  }
  return context;
}

void set_server_name(SSL* ssl, const std::string& host) {
  // SNI carries names only: an address is never sent as one.
  boost::system::error_code not_an_address;
  (void)boost::asio::ip::make_address(host, not_an_address);
  if (not_an_address) SSL_set_tlsext_host_name(ssl, host.c_str());
}

Error tls_handshake_error(const boost::beast::error_code& ec, long verify_result) {
  if (ec.category() == boost::asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    const char* why = verify_result != X509_V_OK ? X509_verify_cert_error_string(verify_result) : "its name does not match";
    return Error{ErrorCode::tls_certificate, std::string("the server's certificate is not trusted: ") + why};
  }
  return Error{ErrorCode::network, "the TLS handshake failed: " + ec.message()};
}

}  // namespace parley::client
