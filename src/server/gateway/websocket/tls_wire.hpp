#pragma once
// A WebSocket connection's bytes over TLS.
//
// A plain connection (ws_session.cpp) waits until its socket is readable and reads into a
// buffer of its thread, so that an idle connection holds none. TLS cannot work that way:
// OpenSSL may hold decrypted bytes the socket no longer shows, and reading a record can require
// a write. So a TLS connection keeps a read always pending on Asio's SSL stream, into a buffer
// of its own, and gathers each write into one buffer, which becomes as few TLS records as it
// can. Everything here runs on the session's strand.
#include <boost/system/error_code.hpp>
#include <functional>
#include <memory>
#include <string>

#include "server/gateway/http_stream.hpp"

namespace parley::gateway::websocket {

class TlsWire {
 public:
  using ReadDone = std::function<void(boost::system::error_code, char* bytes, std::size_t size)>;
  using WriteDone = std::function<void(boost::system::error_code)>;

  explicit TlsWire(TlsStreamPtr stream);
  ~TlsWire();

  // Reads what arrives next, at most one TLS record's worth. One read at a time.
  void read(ReadDone done);
  // Where the next write is gathered: append to it, then call write(). One write at a time.
  std::string& outgoing() { return outgoing_; }
  void write(WriteDone done);
  // After the close frame: the TCP half-close a plain connection does too. No TLS close_notify
  // is sent, since the WebSocket close handshake already said that the stream ends here.
  void shutdown_send();
  void close();

 private:
  static constexpr std::size_t kReadBytes = 16 * 1024;  // one TLS record's payload

  TlsStreamPtr stream_;
  std::unique_ptr<char[]> incoming_;
  std::string outgoing_;
};

}  // namespace parley::gateway::websocket
