#pragma once
// Clients of parleyd over TLS for tests: an HTTPS request, and a WebSocket over TLS (wss://),
// both verifying the server's certificate against a CA the test trusts and the name it asked
// for, as an app would. Every step is bounded in time; a failure throws with what failed.
#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "support/http_client.hpp"

namespace parley::test {

struct TlsClientOptions {
  std::string trusted_ca_pem;          // the only CA trusted
  std::string server_name = "localhost";  // sent as SNI and checked against the certificate
  // The newest protocol version offered (e.g. TLS1_1_VERSION), to try an old client; 0: any.
  int max_protocol_version = 0;
  std::chrono::milliseconds timeout = std::chrono::seconds(20);
};

// The TLS handshake alone: "" when it succeeds, otherwise the reason it failed.
[[nodiscard]] std::string tls_handshake_failure(int port, const TlsClientOptions& options);

[[nodiscard]] HttpResponse send_https(int port, const HttpRequest& request, const TlsClientOptions& options);

class WssClient {
 public:
  // Connects, checks the certificate, and upgrades `target` (e.g. "/v1/ws?token=...").
  WssClient(int port, std::string_view target, const TlsClientOptions& options);
  ~WssClient();

  void send_text(std::string_view text);
  // The next text frame; throws when none comes in time or the connection ends.
  [[nodiscard]] boost::json::object read_frame();
  // Sends {"id", "op", ...params}, then reads frames until the reply with that id, and returns
  // it; events read meanwhile are dropped.
  boost::json::object request(std::string_view op, boost::json::object params = {});
  // Reads frames until the event `name` arrives, and returns its data.
  boost::json::object wait_event(std::string_view name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t next_id_ = 1;
};

}  // namespace parley::test
