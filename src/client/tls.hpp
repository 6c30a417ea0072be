#pragma once
// TLS for the SDK's connections (https, wss): the server's certificate is checked against the
// system's certificate authorities (OpenSSL's default paths) or the app's own CA file, and its
// name against the host asked for. Beast and OpenSSL stay in the .cpp files that include this.
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/error.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include <parley/error.hpp>

namespace parley::client {

// A client context: TLS 1.2 or newer, peer verification on. `ca_file` empty: the system's store.
[[nodiscard]] Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const std::filesystem::path& ca_file);


// A failed handshake as an Error: tls_certificate when the certificate was not trusted (with
// OpenSSL's reason), network otherwise.
[[nodiscard]] Error tls_handshake_error(const boost::beast::error_code& ec, long verify_result);

// SNI: the name the client asks for, so that a server of several names picks its certificate.
void set_server_name(SSL* ssl, const std::string& host);

// Before the handshake: SNI (for a name, not an address) and the check of the certificate's
// name against `host`. `TlsStream`: an Asio or Beast ssl stream.
template <class TlsStream>
void prepare_tls(TlsStream& stream, const std::string& host) {
  set_server_name(stream.native_handle(), host);
  stream.set_verify_callback(boost::asio::ssl::host_name_verification(host));
}

}  // namespace parley::client
